/**
 * Compiled objects kept by content: the same C file (kernels are byte-for-byte
 * the same from one model to the next) compiled with the same compiler and
 * flags, next to the same headers, gives the same object, so a build reuses
 * it instead of compiling again. The key hashes the compiler, every flag, the
 * source and every header beside it that it includes; the cache lives in
 * TINYC_CACHE_DIR, else the system's temporary folder, and a miss simply compiles.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Where compiled objects (and the cycle model's plugin) are kept: TINYC_CACHE_DIR, else tinyc-object-cache in the temporary folder. */
export function cacheDir(): string {
  return process.env.TINYC_CACHE_DIR ?? join(tmpdir(), "tinyc-object-cache");
}

/** The cache key of compiling `source` with `compiler` and `flags` (the output path left out), or undefined when the source cannot be read. */
export function objectKey(compiler: string, flags: readonly string[], source: string): string | undefined {
  if (!existsSync(source)) return undefined;
  // The build folder is new each time: flags name it as <src>. The compiler counts by path and by its file's size and age.
  const dir = dirname(source), tool = existsSync(compiler) ? statSync(compiler) : undefined;
  const h = createHash("sha256").update(`${compiler}\0${tool?.size}\0${tool?.mtimeMs}\0`).update(flags.map((f) => f.split(dir).join("<src>")).join("\0")).update("\0").update(readFileSync(source));
  for (const f of localHeaders(source, flags)) h.update(`\0${f}\0`).update(readFileSync(join(dir, f)));
  return h.digest("hex");
}

/** The headers beside `source` it includes (`#include "x.h"`, and `-include x.h` flags), and theirs in turn, sorted. */
function localHeaders(source: string, flags: readonly string[]): string[] {
  const dir = dirname(source), seen = new Set<string>();
  const forced = flags.flatMap((f, i) => (flags[i - 1] === "-include" ? [f] : []));
  const visit = (text: string) => {
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) add(m[1]!);
  };
  const add = (name: string) => {
    if (seen.has(name) || !existsSync(join(dir, name))) return;
    seen.add(name);
    visit(readFileSync(join(dir, name), "utf8"));
  };
  forced.forEach(add);
  visit(readFileSync(source, "utf8"));
  return [...seen].sort();
}

/** Copies the cached object for `key` to `out`; false when there is none. */
export function fromCache(key: string, out: string): boolean {
  const hit = join(cacheDir(), `${key}.o`);
  if (!existsSync(hit)) return false;
  copyFileSync(hit, out);
  return true;
}

/** Keeps `out` under `key` (written to a temporary name first, so a concurrent build never reads half a file). */
export function toCache(key: string, out: string): void {
  mkdirSync(cacheDir(), { recursive: true });
  const tmp = join(cacheDir(), `${key}.${process.pid}.tmp`);
  copyFileSync(out, tmp);
  renameSync(tmp, join(cacheDir(), `${key}.o`));
}
