/**
 * The object cache's key: the same source and included headers compiled the
 * same way in another build folder hit; a changed included header, flag or
 * source misses; a header the source does not include changes nothing.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { objectKey } from "../src/emulator/objcache.js";

/** A build folder with k.c including a.h (which includes b.h), and an unrelated model.h. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "tinyc-objkey-"));
  mkdirSync(dir, { recursive: true });
  const all = { "k.c": '#include "a.h"\nint k(void) { return A; }\n', "a.h": '#include "b.h"\n#define A B\n', "b.h": "#define B 1\n", "model.h": "#define M 1\n", ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("object cache key", () => {
  const key = (dir: string, flags = ["-O2"]) => objectKey("/usr/bin/cc", [...flags, "-I", dir, "-c", join(dir, "k.c")], join(dir, "k.c"));

  test("the same content in another build folder has the same key; an unincluded header changes nothing", () => {
    expect(key(folder({}))).toBe(key(folder({ "model.h": "#define M 2\n" })));
  });

  test("control: a changed source, included header (directly or through another), or flag changes the key", () => {
    const base = key(folder({}));
    expect(key(folder({ "k.c": '#include "a.h"\nint k(void) { return A + 1; }\n' }))).not.toBe(base);
    expect(key(folder({ "a.h": '#include "b.h"\n#define A (B + 1)\n' }))).not.toBe(base);
    expect(key(folder({ "b.h": "#define B 2\n" }))).not.toBe(base);
    expect(key(folder({}), ["-O3"])).not.toBe(base);
  });
});
