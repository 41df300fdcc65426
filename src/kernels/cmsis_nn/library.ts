/**
 * Builds the user's CMSIS-NN tree into a static library for a target, once, in
 * a cache folder outside the project (~/.cache/tinyc, or TINYC_CACHE_DIR).
 */
import { execa } from "execa";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fail } from "../../diagnostics.js";
import { cmsisRoot, type CmsisNnInfo } from "./tree.js";
import type { Target } from "../../targets.js";

/** CMSIS-NN's float kernels (built only conditionally upstream); tinyc calls integer kernels only. */
export const FLOAT_SOURCE = /_f(16|32)\.c$/;

export function cacheDir(): string {
  return process.env.TINYC_CACHE_DIR ?? join(homedir(), ".cache", "tinyc");
}

export async function cmsisNnLibrary(info: CmsisNnInfo, target: Target, gcc: string): Promise<string> {
  const root = cmsisRoot(info);
  const flags = [...target.cflags, "-O2", "-std=c99", "-ffunction-sections", "-fdata-sections", "-I", join(root, "Include")];
  const key = createHash("sha256").update(JSON.stringify([root, info.revision, flags])).digest("hex").slice(0, 16);
  const dir = join(cacheDir(), `cmsis-nn-${info.version}-${target.cpu}-${key}`);
  const lib = join(dir, "libcmsis-nn.a");
  if (existsSync(lib)) return lib;
  mkdirSync(join(dir, "obj"), { recursive: true });
  const sourceRoot = join(root, "Source");
  const sources = readdirSync(sourceRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(sourceRoot, d.name)).filter((f) => f.endsWith(".c") && !FLOAT_SOURCE.test(f)).map((f) => join(sourceRoot, d.name, f)));
  const objects: string[] = [];
  for (let i = 0; i < sources.length; i += 2) {
    await Promise.all(sources.slice(i, i + 2).map(async (s) => {
      const o = join(dir, "obj", s.slice(sourceRoot.length + 1).replace(/[/\\]/g, "_").replace(/\.c$/, ".o"));
      const r = await execa(gcc, [...flags, "-c", s, "-o", o], { reject: false, all: true });
      if (r.exitCode !== 0) fail("TC142", "cmsisSource", { source: s, log: r.all }, { file: s });
      objects.push(o);
    }));
  }
  const tmp = `${lib}.tmp`;
  const ar = gcc.replace(/gcc$/, "ar");
  const r = await execa(ar, ["rcs", tmp, ...objects.sort()], { reject: false, all: true });
  if (r.exitCode !== 0) fail("TC142", "cmsisArchive", { log: r.all });
  renameSync(tmp, lib);
  return lib;
}
