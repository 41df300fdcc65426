/**
 * TensorFlow Lite Micro firmware for the bench: TFLM (reference or CMSIS-NN
 * kernels) built for one of tinyc's QEMU machines on the same model and input,
 * by scripts/build-tflm-firmware.sh, from trees the user points at (TFLM_ROOT,
 * CMSIS_NN_ROOT, CMSIS_ROOT, and CORTEX_DFP_ROOT where CMSIS_ROOT has no device
 * headers). Nothing of TFLM is part of tinyc; the firmware prints tinyc's
 * harness lines (parseHarness reads them) and marks its timed Invoke() in
 * `tinyc_cycle_marks` for the cycle-counting plugin.
 */
import { execa } from "execa";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { BUILTIN_OPERATORS, Model, Operator, OperatorCode, SubGraph } from "../compiler/tflite/schema.js";
import { FlatFile } from "../compiler/tflite/flat.js";
import { packageRoot } from "../paths.js";

export type TflmKernels = "reference" | "cmsis-nn";

export interface TflmTrees {
  /** A tensorflow/tflite-micro checkout. */
  readonly tflm: string;
  /** An ARM-software/CMSIS-NN checkout. */
  readonly cmsisNn: string;
  /** An ARM-software/CMSIS_6 (or CMSIS_5) checkout: the core headers. */
  readonly cmsis: string;
  /** An ARM-software/Cortex_DFP checkout (device headers), when CMSIS_ROOT has none. */
  readonly cortexDfp?: string;
}

export interface TflmBuild {
  /** A targets/*.json name with a QEMU machine. */
  readonly core: string;
  readonly kernels: TflmKernels;
  /** The .tflite file. */
  readonly model: string;
  /** The input tensor's bytes, or a file of them. */
  readonly input: string | Int8Array;
  readonly trees: TflmTrees;
  /** Where the libraries (built once per core and kernels) and the firmware go, outside the project. */
  readonly outDir: string;
}

/** Each tree the script needs: its variable, a file that tells it is the right tree, what it is. */
const TREES = [
  { key: "tflm", env: "TFLM_ROOT", marker: "tensorflow/lite/micro/micro_interpreter.h", what: "a tensorflow/tflite-micro checkout" },
  { key: "cmsisNn", env: "CMSIS_NN_ROOT", marker: "Include/arm_nnfunctions.h", what: "an ARM-software/CMSIS-NN checkout" },
  { key: "cmsis", env: "CMSIS_ROOT", marker: "CMSIS/Core/Include/cmsis_compiler.h", what: "an ARM-software/CMSIS_6 or CMSIS_5 checkout" },
] as const;

/** The trees named by TFLM_ROOT, CMSIS_NN_ROOT and CMSIS_ROOT (CORTEX_DFP_ROOT optional), or what is missing. */
export function tflmTrees(env: NodeJS.ProcessEnv = process.env): TflmTrees | { missing: string } {
  const found: Record<string, string> = {};
  for (const t of TREES) {
    const dir = env[t.env];
    if (!dir) return { missing: `${t.env} is not set (${t.what})` };
    if (!existsSync(join(dir, t.marker))) return { missing: `${t.env}=${dir} is not ${t.what} (no ${t.marker})` };
    found[t.key] = dir;
  }
  const dfp = env.CORTEX_DFP_ROOT;
  return { tflm: found.tflm!, cmsisNn: found.cmsisNn!, cmsis: found.cmsis!, ...(dfp ? { cortexDfp: dfp } : {}) };
}

/** Every operator of the model's first graph in execution order, as TFLite builtin names (CONV_2D, ...). */
export function operatorSequence(modelPath: string): string[] {
  const model = new FlatFile(new Uint8Array(readFileSync(modelPath))).root();
  const codes = model.tables(Model.operatorCodes, "operator_codes")
    .map((oc) => Math.max(oc.i8(OperatorCode.deprecatedBuiltinCode), oc.i32(OperatorCode.builtinCode)));
  return model.tables(Model.subgraphs, "subgraphs").flatMap((sg) => sg.tables(SubGraph.operators, "operators").map((op) => {
    const code = codes[op.u32(Operator.opcodeIndex)];
    const name = code === undefined ? undefined : BUILTIN_OPERATORS[code];
    if (!name || name === "CUSTOM") throw new Error(`${modelPath}: operator code ${code} has no TFLM resolver method here`);
    return name;
  }));
}

/** The operators the model's graphs run, each once, in order of first use. */
export function modelOperators(modelPath: string): string[] {
  return [...new Set(operatorSequence(modelPath))];
}

/** The input as a file the script can read: the given path, or the bytes written under outDir. */
function inputFile(b: TflmBuild): string {
  if (typeof b.input === "string") return b.input;
  const dir = join(b.outDir, "inputs");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(b.model).replace(/\.tflite$/, "")}.bin`);
  writeFileSync(file, b.input);
  return file;
}

/**
 * Builds the TFLM firmware for (core, kernels) on the model and input and
 * returns its ELF. The first build of a (core, kernels) library takes minutes
 * (two compiles at a time); later ones reuse it from outDir/lib.
 */
export async function buildTflmFirmware(b: TflmBuild): Promise<string> {
  mkdirSync(b.outDir, { recursive: true });
  const script = join(packageRoot(), "scripts", "build-tflm-firmware.sh");
  const env = {
    TFLM_ROOT: b.trees.tflm, CMSIS_NN_ROOT: b.trees.cmsisNn, CMSIS_ROOT: b.trees.cmsis,
    ...(b.trees.cortexDfp ? { CORTEX_DFP_ROOT: b.trees.cortexDfp } : {}),
    TFLM_OPS: modelOperators(b.model).join(","),
  };
  const r = await execa("bash", [script, b.core, b.kernels, b.model, inputFile(b), b.outDir], { env, reject: false, all: true, stdin: "ignore" });
  const elf = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.exitCode !== 0 || !elf.endsWith(".elf") || !existsSync(elf)) {
    throw new Error(`building TFLM firmware (${b.core}, ${b.kernels}) failed (exit ${r.exitCode}):\n${(r.all ?? "").slice(-2000)}`);
  }
  return elf;
}
