/**
 * compile(): the pipeline, top to bottom, one stage a line. Set
 * TINYC_DUMP_AFTER=<stage> to print the IR (or the stage's result) after a
 * stage to stderr.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Graph } from "./compiler/ir.js";
import { generateC, type GeneratedModel } from "./compiler/codegen/generate.js";
import { buildFiles } from "./compiler/codegen/build_files.js";
import { bindFamilies, defaultBackend, kernelFamily, type Backend, type BoundFamily } from "./kernels/registry.js";
import { fail } from "./diagnostics.js";
import type { MemoryOption } from "./memplan/options.js";
import { foldConstants } from "./compiler/passes/fold_constants.js";
import { foldPad } from "./compiler/passes/fold_pad.js";
import { requireKernels } from "./compiler/passes/require_kernels.js";
import { legalize } from "./compiler/passes/legalize.js";
import type { PassNote } from "./compiler/passes/notes.js";
import { prepare, type PreparedGraph } from "./compiler/passes/prepare.js";
import { readTfliteFile } from "./compiler/tflite/reader.js";
import { planMemory, planPicture, scheduleOps, type MemoryPlan, type PlacementName } from "./memplan/plan.js";
import type { Schedule } from "./memplan/schedule.js";
import { planReport } from "./memplan/report.js";
import { streamedInputStep } from "./memplan/segments.js";
import { tensorOf } from "./compiler/ops/common.js";
import { loadTarget, type Target } from "./targets.js";

export interface CompileOptions {
  /** Target name (targets/<name>.json); cortex-m4 by default. */
  readonly target?: string;
  readonly backend?: Backend;
  /** CMSIS-NN source tree for the cmsis-nn backend (else CMSIS_NN_ROOT). */
  readonly cmsisNn?: string;
  /** Emit cmsis-nn sources for this CMSIS-NN version without a tree (building then needs one). */
  readonly cmsisNnVersion?: string;
  /** Arena placement: "exact" (default) or "greedy" (TensorFlow Lite Micro's method, for comparison). */
  readonly placement?: PlacementName;
  /** Memory options to turn off (all are on by default). */
  readonly disable?: readonly MemoryOption[];
  /**
   * Stream a model input row by row from a user callback instead of holding it
   * in the arena: true for a model's only input, or an input's name or index.
   */
  readonly streamInput?: boolean | string;
  /** Row streaming may add at most this share of the model's instructions, estimated (0.05 by default). */
  readonly streamOverhead?: number;
}

export interface CompiledModel {
  readonly modelPath: string;
  /** The model's graph, nodes in execution order (node indices are the model's own). */
  readonly graph: Graph;
  /** How the ops were ordered. */
  readonly schedule: Schedule;
  readonly prepared: PreparedGraph;
  readonly plan: MemoryPlan;
  readonly generated: GeneratedModel;
  readonly target: Target;
  readonly backend: Backend;
  /** The backend's kernel family and its fallbacks, set up for this compile (e.g. with the user's CMSIS-NN tree). */
  readonly families: readonly BoundFamily[];
  /** What the front-end passes changed (e.g. a PAD folded into a convolution), in order. */
  readonly passes: readonly PassNote[];
  /** What the report should say about the backend on this target (e.g. a faster family it leaves unused). */
  readonly backendNote?: string;
  readonly compileMs: number;
}

function dump<T>(stage: string, value: T): T {
  if (process.env.TINYC_DUMP_AFTER === stage) process.stderr.write(`== after ${stage} ==\n${JSON.stringify(value, dumpReplacer, 1)}\n`);
  return value;
}

function dumpReplacer(_key: string, v: unknown): unknown {
  if (v instanceof Uint8Array || v instanceof Int8Array || v instanceof Int32Array) return `<${v.length} values>`;
  if (v instanceof Map) return Object.fromEntries(v);
  return v;
}

/** Compiles a .tflite file, or an IR graph built in code (its `source` names it in diagnostics). */
export function compile(model: string | Graph, options: CompileOptions = {}): CompiledModel {
  const started = performance.now();
  const target = loadTarget(options.target ?? "cortex-m4");
  const backend = options.backend ?? defaultBackend(target);
  const why = kernelFamily(backend).unavailable?.(target);
  if (why) fail("TC122", `--backend ${backend} cannot run on target ${target.name}: ${why}`);
  const families = bindFamilies(backend, { ...options }); //               the backend's kernel family and its fallbacks
  const read = dump("read", typeof model === "string" ? readTfliteFile(model) : model); // .tflite → IR
  const constants = dump("fold-constants", foldConstants(read)); //       constant and static-shape ops → constants
  dump("legalize", legalize(constants.graph)); //                          validate every op's operands
  const padded = dump("fold-pad", foldPad(constants.graph, backend, target)); // PAD → the convolution's own padding
  const graph = dump("require-kernels", requireKernels(padded.graph, backend, target)); // every op left has a kernel
  const passes = [...constants.notes, ...padded.notes];
  const schedule = dump("schedule", scheduleOps(prepare(graph), backend, target, options.disable)); // requantization tables; op order
  const prepared = schedule.prepared;
  const streamInput = streamedInput(prepared, backend, target, options);
  const plan = dump("plan", planMemory(prepared, { backend, target, algorithm: options.placement, disable: options.disable, streamInput, streamOverhead: options.streamOverhead })); // lifetimes → arena offsets
  const generated = generateC(prepared, plan, { backend, target, families }); // model.c / model.h
  return {
    modelPath: graph.source, graph: prepared.graph, prepared, schedule, plan, generated, target, backend, families, passes,
    backendNote: kernelFamily(backend).targetNote?.(target), compileMs: performance.now() - started,
  };
}

/** The tensor id of the input --stream-input names (undefined when off); a TC123 error when it cannot stream. */
function streamedInput(p: PreparedGraph, backend: Backend, target: Target, options: CompileOptions): number | undefined {
  const want = options.streamInput;
  if (want === undefined || want === false) return undefined;
  const { graph } = p;
  const names = graph.inputs.map((id, k) => `${k} '${tensorOf(graph, id).name}'`).join(", ");
  if (options.disable?.includes("stream")) fail("TC123", "--stream-input needs row streaming, which --disable turns off", { file: graph.source });
  let id: number | undefined;
  if (want === true) {
    if (graph.inputs.length !== 1) fail("TC123", `the model has ${graph.inputs.length} inputs; name the one to stream (--stream-input NAME or index): ${names}`, { file: graph.source });
    id = graph.inputs[0]!;
  } else {
    id = graph.inputs.find((x, k) => tensorOf(graph, x).name === want || String(k) === want);
    if (id === undefined) fail("TC123", `no model input '${want}'; the inputs are ${names}`, { file: graph.source });
  }
  const step = streamedInputStep(p, backend, target, id);
  if (typeof step === "string") {
    const reader = graph.nodes.find((n) => n.inputs.includes(id!));
    fail("TC123", step, { file: graph.source, tensor: tensorOf(graph, id).name, ...(reader ? { op: reader.index } : {}) });
  }
  return id;
}

/** Writes the firmware sources: model.c/.h, the kernels they call, Makefile, CMakeLists.txt, memory report. */
export function writeSources(c: CompiledModel, outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files: Record<string, string> = {
    "model.h": c.generated.header,
    "model.c": c.generated.source,
    ...buildFiles(c),
    "memory.json": JSON.stringify(planReport(c), null, 2) + "\n",
    "plan.txt": planPicture(c.plan) + "\n",
  };
  for (const [name, path] of c.generated.kernelSources) files[name] = readFileSync(path, "utf8");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  return Object.keys(files);
}
