/** The files `tinyc compile` writes: the firmware sources (model.c/.h, the kernels they call, build files, main.c with --example) and the memory report. */
import { readFileSync } from "node:fs";
import { makeFolder, writeFile } from "../files.js";
import { join } from "node:path";
import { buildFiles } from "../codegen/build_files.js";
import { exampleMain } from "../codegen/example.js";
import type { CompiledModel } from "../compile.js";
import { planPicture } from "../memplan/plan.js";
import { planReport } from "./report.js";

export interface WriteOptions {
  /** Also write main.c, a program that runs the model once, and build it with the library (`tinyc compile --example`). */
  readonly example?: boolean;
}

/** Writes the firmware sources: model.c/.h, the kernels they call, Makefile, CMakeLists.txt (and its toolchain file), main.c with `example`, memory report. */
export function writeSources(c: CompiledModel, outDir: string, options: WriteOptions = {}): string[] {
  makeFolder(outDir);
  const files: Record<string, string> = {
    "model.h": c.generated.header,
    "model.c": c.generated.source,
    ...(options.example ? { "main.c": exampleMain(c) } : {}),
    ...buildFiles(c, { example: options.example }),
    "memory.json": JSON.stringify(planReport(c), null, 2) + "\n",
    "plan.txt": planPicture(c.plan) + "\n",
  };
  for (const [name, path] of c.generated.kernelSources) files[name] = readFileSync(path, "utf8");
  for (const [name, text] of Object.entries(files)) writeFile(join(outDir, name), text);
  return Object.keys(files);
}
