/**
 * tinyc as users get it: `npm pack` from a clone (no dist/ yet) builds and
 * ships dist/ with a working bin, and the tarball installed in an empty
 * folder runs `tinyc --help` and compiles a model. Dependencies come from
 * npm's cache, filled when the project's own were installed.
 */
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { modelPath, ROOT } from "./helpers.js";

/** The files a clone has that packing needs (dist/ left out: a fresh clone has none). */
const CLONED = ["package.json", "package-lock.json", "tsconfig.json", "README.md", "LICENSE", "src", "templates", "targets"];

describe("the npm package", () => {
  test("npm pack from a clone ships dist/ and a bin that runs --help and compile from an install in an empty folder", async () => {
    const work = mkdtempSync(join(tmpdir(), "tinyc-pack-"));
    const clone = join(work, "clone");
    mkdirSync(clone);
    for (const f of CLONED) cpSync(join(ROOT, f), join(clone, f), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
    expect(existsSync(join(clone, "dist"))).toBe(false);
    const packed = await execa("npm", ["pack", "--json", "--pack-destination", work], { cwd: clone });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = info!.files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(["dist/cli/main.js", "dist/index.js", "dist/index.d.ts", "LICENSE", "templates/model/model.c.in", "targets/cortex-m4.json"]));
    expect(shipped.some((p) => p.startsWith("src/") || p.startsWith("test/"))).toBe(false);

    const user = join(work, "user");
    mkdirSync(user);
    writeFileSync(join(user, "package.json"), JSON.stringify({ name: "firmware", private: true }));
    await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, info!.filename)], { cwd: user });
    const help = await execa("npx", ["--no-install", "tinyc", "--help"], { cwd: user });
    expect(help.stdout).toMatch(/^Usage: tinyc/);
    await execa("npx", ["--no-install", "tinyc", "compile", modelPath("vww_96_int8"), "-o", "out"], { cwd: user });
    expect(readdirSync(join(user, "out"))).toEqual(expect.arrayContaining(["model.c", "model.h", "Makefile", "CMakeLists.txt"]));
  });
});
