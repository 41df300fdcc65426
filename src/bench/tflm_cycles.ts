/**
 * TensorFlow Lite Micro's estimated cycles for the bench: measured in this
 * run when the user's TFLM, CMSIS-NN and CMSIS trees are given (the firmware
 * scripts/build-tflm-firmware.sh builds, run under the same cycle model as
 * tinyc's, on the same input), else the figures recorded in
 * bench/tflm-cycles.json from such a run (labelled "recorded").
 * `node dist/bench/tflm_cycles.js` (with the trees) records them again.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { between, markersOf, timingModelOf } from "../emulator/cycles.js";
import { runFirmware } from "../emulator/qemu.js";
import { packageRoot } from "../paths.js";
import { emulated, loadTarget } from "../targets.js";
import { buildTflmFirmware, operatorSequence, tflmTrees, type TflmKernels } from "./tflm.js";

export type { TflmKernels } from "./tflm.js";

export interface TflmCycles {
  readonly cycles: number;
  readonly instructions: number;
  /** Cycles per op kind (TFLite builtin names), summed over the model's ops of that kind. */
  readonly byKind: Readonly<Record<string, number>>;
  readonly source: "measured" | "recorded";
}

interface Recorded {
  readonly what: string;
  readonly models: Record<string, Record<string, Partial<Record<TflmKernels, Omit<TflmCycles, "source">>>>>;
}

const recordedPath = join(packageRoot(), "bench", "tflm-cycles.json");
let recorded: Recorded | undefined | null = null;

function recordedFile(): Recorded | undefined {
  if (recorded === null) recorded = existsSync(recordedPath) ? (JSON.parse(readFileSync(recordedPath, "utf8")) as Recorded) : undefined;
  return recorded;
}

const modelName = (model: string) => basename(model).replace(/\.tflite$/, "");

/** The recorded figure for a model file on a core with TFLM's kernels, if any. */
export function recordedTflmCycles(model: string, core: string, kernels: TflmKernels): TflmCycles | undefined {
  const r = recordedFile()?.models[modelName(model)]?.[core]?.[kernels];
  return r && { ...r, source: "recorded" };
}

/** Measures TFLM on the model and input, built for the core with the given kernels, under the cycle model. */
export async function measureTflmCycles(model: string, input: Uint8Array, core: string, kernels: TflmKernels): Promise<TflmCycles> {
  const trees = tflmTrees();
  if ("missing" in trees) throw new Error(`TFLM trees: ${trees.missing}`);
  const outDir = process.env.TINYC_TFLM_OUT ?? join(tmpdir(), "tinyc-tflm-firmware");
  const elf = await buildTflmFirmware({ core, kernels, model, input: new Int8Array(input.buffer, input.byteOffset, input.byteLength), trees, outDir });
  const marks = await markersOf(elf);
  if (!marks) throw new Error(`${elf} has no tinyc_cycle_marks`);
  const out = await runFirmware(emulated(loadTarget(core), "TFLM firmware"), elf, 1_200_000, { marks });
  const at = (i: number) => out.cycles?.marks.get(i);
  const start = at(0), end = at(1), profiled = at(2);
  if (!start || !end || !profiled) throw new Error(`${elf}: the cycle model saw no timed Invoke()`);
  const total = between(start, end);
  const byKind: Record<string, number> = {};
  let previous = profiled;
  operatorSequence(model).forEach((kind, k) => {
    const m = at(3 + k);
    if (!m || m.instructions < profiled.instructions) return;
    byKind[kind] = (byKind[kind] ?? 0) + (m.cycles - previous.cycles);
    previous = m;
  });
  return { cycles: total.cycles, instructions: total.instructions, byKind, source: "measured" };
}

const measured = new Map<string, Promise<TflmCycles | undefined>>();

/**
 * TFLM's figures on the core: measured when the trees are given (once per
 * model, core and kernels in a run; a failed build says why and falls back),
 * else recorded, else undefined.
 */
export function tflmCycles(model: string, input: Uint8Array, core: string, kernels: TflmKernels): Promise<TflmCycles | undefined> {
  if (!timingModelOf(loadTarget(core))) return Promise.resolve(undefined);
  if ("missing" in tflmTrees()) return Promise.resolve(recordedTflmCycles(model, core, kernels));
  const key = `${model}\0${core}\0${kernels}`;
  if (!measured.has(key)) {
    measured.set(key, measureTflmCycles(model, input, core, kernels).catch((e: unknown) => {
      process.stderr.write(`TFLM ${core} ${kernels}: ${e instanceof Error ? e.message.split("\n")[0] : e}; using the recorded figure\n`);
      return recordedTflmCycles(model, core, kernels);
    }));
  }
  return measured.get(key)!;
}

export const TFLM_CORES = ["cortex-m4", "cortex-m33", "cortex-m7", "cortex-m55"] as const;

/** Measures every model on every core with both kernel sets and writes bench/tflm-cycles.json. */
async function record(models: readonly string[], inputOf: (model: string) => Promise<Uint8Array>): Promise<void> {
  const trees = tflmTrees();
  if ("missing" in trees) throw new Error(`recording TFLM's cycles needs the trees: ${trees.missing}`);
  const file: Recorded = {
    what: "TensorFlow Lite Micro's estimated cycles under tinyc's cycle model (zero wait states): one Invoke() after a warm-up, on the input tinyc's bench uses (xorshift seed 1), and per op kind from a profiled Invoke(). Recorded by `node dist/bench/tflm_cycles.js` with scripts/build-tflm-firmware.sh; TFLM 90b983c2, CMSIS-NN 4ab83cc3, CMSIS_6 5782d6f8, arm-none-eabi-gcc 12.2 -O2.",
    models: {},
  };
  for (const model of models) {
    const input = await inputOf(model);
    for (const core of TFLM_CORES) {
      for (const kernels of ["cmsis-nn", "reference"] as const) {
        const { source: _source, ...r } = await measureTflmCycles(model, input, core, kernels);
        ((file.models[modelName(model)] ??= {})[core] ??= {})[kernels] = r;
        process.stdout.write(`${modelName(model)} ${core} ${kernels}: ${r.cycles} cycles, ${r.instructions} instructions\n`);
      }
    }
  }
  writeFileSync(recordedPath, JSON.stringify(file, null, 2) + "\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { compile } = await import("../compile.js");
  const { modelInputs } = await import("../run.js");
  const dir = process.env.TINYC_MODELS_DIR ?? resolve(packageRoot(), "..", "shared", "models");
  const models = process.argv.slice(2).length ? process.argv.slice(2) : ["vww_96_int8.tflite", "person_detect.tflite"].map((f) => join(dir, f));
  await record(models, async (m) => Uint8Array.from(modelInputs(compile(m), undefined).flatMap((b) => [...b])));
}
