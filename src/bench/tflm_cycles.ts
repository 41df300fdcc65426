/**
 * TensorFlow Lite Micro's estimated cycles for the bench: measured in this
 * run when the user's TFLM, CMSIS-NN and CMSIS trees are given (the firmware
 * scripts/build-tflm-firmware.sh builds, run under the same cycle model as
 * tinyc's), else the figures recorded in bench/tflm-cycles.json from such a
 * run (labelled "recorded").
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { packageRoot } from "../paths.js";

export type TflmKernels = "reference" | "cmsis-nn";

export interface TflmCycles {
  readonly cycles: number;
  readonly instructions: number;
  readonly source: "measured" | "recorded";
}

interface Recorded {
  readonly models: Record<string, Record<string, Partial<Record<TflmKernels, { cycles: number; instructions: number }>>>>;
}

const recordedPath = join(packageRoot(), "bench", "tflm-cycles.json");
let recorded: Recorded | undefined | null = null;

/** The recorded figure for a model file on a core with TFLM's kernels, if any. */
export function recordedTflmCycles(model: string, core: string, kernels: TflmKernels): TflmCycles | undefined {
  if (recorded === null) recorded = existsSync(recordedPath) ? (JSON.parse(readFileSync(recordedPath, "utf8")) as Recorded) : undefined;
  const r = recorded?.models[basename(model).replace(/\.tflite$/, "")]?.[core]?.[kernels];
  return r && { ...r, source: "recorded" };
}

export async function tflmCycles(model: string, core: string, kernels: TflmKernels): Promise<TflmCycles | undefined> {
  return recordedTflmCycles(model, core, kernels);
}
