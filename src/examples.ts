/**
 * npm run examples: regenerates examples/, the generated C of tinyc's bundled
 * models (cortex-m4, its default dsp backend), so that any change to emitted C shows in
 * review; a test regenerates it and fails on any difference. For the zoo
 * defaults: model.c, model.h, the plan, and what `--example` adds to the build
 * files (main.c, Makefile, CMakeLists.txt, the toolchain file). For the shared
 * models (their weights are not ours to copy): model.h, the plan and the
 * sha256 of model.c.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildFiles } from "./codegen/build_files.js";
import { exampleMain } from "./codegen/example.js";
import { compile } from "./compile.js";
import { readTflite } from "./compiler/tflite/reader.js";
import { writeTflite } from "./compiler/tflite/writer.js";
import { planPicture } from "./memplan/plan.js";
import { packageRoot } from "./paths.js";
import { FAMILIES } from "./zoo/index.js";

export const SHARED_EXAMPLES = ["person_detect", "vww_96_int8"];

/** Writes every example under `dir` and returns the files written (relative paths). */
export function writeExamples(dir: string, modelsDir = resolve(packageRoot(), "..", "shared", "models")): string[] {
  const written: string[] = [];
  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
    written.push(path);
  };
  for (const f of FAMILIES) {
    const g = f.build(f.defaults);
    const file = `${g.name}.tflite`;
    const c = compile(readTflite(writeTflite(g), file), { target: "cortex-m4" });
    put(`zoo/${f.name}/model.c`, c.generated.source);
    put(`zoo/${f.name}/model.h`, c.generated.header);
    put(`zoo/${f.name}/plan.txt`, planPicture(c.plan) + "\n");
    put(`zoo/${f.name}/main.c`, exampleMain(c));
    for (const [name, text] of Object.entries(buildFiles(c, { example: true }))) put(`zoo/${f.name}/${name}`, text);
  }
  for (const m of SHARED_EXAMPLES) {
    const path = join(modelsDir, `${m}.tflite`);
    if (!existsSync(path)) continue;
    const c = compile(path, { target: "cortex-m4" });
    put(`shared/${m}/model.h`, c.generated.header);
    put(`shared/${m}/plan.txt`, planPicture(c.plan) + "\n");
    put(`shared/${m}/model.c.sha256`, `${createHash("sha256").update(c.generated.source).digest("hex")}  model.c\n`);
  }
  return written.sort();
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(packageRoot(), "dist", "examples.js")) {
  const dir = join(packageRoot(), "examples");
  for (const sub of ["zoo", "shared"]) rmSync(join(dir, sub), { recursive: true, force: true });
  const files = writeExamples(dir);
  process.stdout.write(`wrote ${files.length} files under examples/\n`);
}
