/**
 * compile(): the pipeline, top to bottom, one stage a line. Set
 * TINYC_DUMP_AFTER=<stage> to print the IR (or the stage's result) after a
 * stage to stderr.
 */
import type { Graph } from "./compiler/ir.js";
import { generateC, type GeneratedModel, type PlacementOptions } from "./codegen/generate.js";
import { bindFamilies, defaultBackend, kernelFamily, type Backend, type BoundFamily } from "./kernels/registry.js";
import { fail } from "./diagnostics.js";
import type { MemoryOption } from "./memory_options.js";
import { foldConstants } from "./compiler/passes/fold_constants.js";
import { legalizePrepared } from "./compiler/passes/legalize.js";
import type { PassNote } from "./compiler/passes/notes.js";
import type { PreparedGraph } from "./compiler/passes/prepare.js";
import { readTfliteFile } from "./compiler/tflite/reader.js";
import { lower, preparedOf } from "./lower/lower.js";
import type { LoweredGraph } from "./lower/types.js";
import { planMemory, scheduleOps, type MemoryPlan, type PlacementName } from "./memplan/plan.js";
import type { Schedule } from "./memplan/schedule.js";
import { streamedInputStep } from "./memplan/segments.js";
import { tensorOf } from "./compiler/ops/common.js";
import { loadTarget, type Target } from "./targets.js";

export interface CompileOptions extends PlacementOptions {
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
  /** Each op's facts (parameters, kernel, scratch, overlap, rows, cost), decided once; nodes in execution order. */
  readonly lowered: LoweredGraph;
  /** The same parameters as the reference interpreter reads them. */
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
  const missing = kernelFamily(backend).missingFeature?.(target);
  if (missing) fail("TC122", "missingFeature", { backend, target: target.name, feature: missing });
  const families = bindFamilies(backend, { ...options }); //               the backend's kernel family and its fallbacks
  const read = dump("read", typeof model === "string" ? readTfliteFile(model) : model); // .tflite → IR
  const constants = dump("fold-constants", foldConstants(read)); //       constant and static-shape ops → constants
  const legal = dump("legalize", legalizePrepared(constants.graph)); //   validate every op's operands; its parameters, once
  const low = dump("lower", lower(legal, backend, target)); //            fold PADs; each op's kernel and facts, once
  const schedule = dump("schedule", scheduleOps(low.lowered, options.disable)); // op order
  const lowered = schedule.lowered;
  const streamInput = streamedInput(lowered, options);
  const plan = dump("plan", planMemory(lowered, { algorithm: options.placement, disable: options.disable, streamInput, streamOverhead: options.streamOverhead })); // lifetimes → arena offsets
  const generated = generateC(lowered, plan, { target, families, ...placement(options) }); // model.c / model.h
  return {
    modelPath: lowered.graph.source, graph: lowered.graph, lowered, prepared: preparedOf(lowered), schedule, plan, generated, target, backend, families,
    passes: [...constants.notes, ...low.notes], backendNote: kernelFamily(backend).targetNote?.(target), compileMs: performance.now() - started,
  };
}

/** Where the arena and the const data go, checked: section names a linker accepts, and no section for a caller's arena. */
function placement(o: CompileOptions): PlacementOptions {
  for (const [flag, name] of [["--arena-section", o.arenaSection], ["--weights-section", o.weightsSection]] as const) {
    if (name !== undefined && !/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(name)) fail("TC121", "sectionName", { option: flag, name });
  }
  if (o.arena === "extern" && o.arenaSection !== undefined) fail("TC121", "externSection", {});
  return { arena: o.arena, arenaSection: o.arenaSection, weightsSection: o.weightsSection };
}

/** The tensor id of the input --stream-input names (undefined when off); a TC123 error when it cannot stream. */
function streamedInput(l: LoweredGraph, options: CompileOptions): number | undefined {
  const want = options.streamInput;
  if (want === undefined || want === false) return undefined;
  const { graph } = l;
  const names = graph.inputs.map((id, k) => `${k} '${tensorOf(graph, id).name}'`).join(", ");
  if (options.disable?.includes("stream")) fail("TC123", "disabled", {}, { file: graph.source });
  let id: number | undefined;
  if (want === true) {
    if (graph.inputs.length !== 1) fail("TC123", "whichInput", { count: graph.inputs.length, inputs: names }, { file: graph.source });
    id = graph.inputs[0]!;
  } else {
    id = graph.inputs.find((x, k) => tensorOf(graph, x).name === want || String(k) === want);
    if (id === undefined) fail("TC123", "noSuchInput", { name: want, inputs: names }, { file: graph.source });
  }
  const step = streamedInputStep(l, id);
  if (typeof step !== "number") {
    const reader = graph.nodes.find((n) => n.inputs.includes(id!));
    fail("TC123", step.message, step.values, { file: graph.source, tensor: tensorOf(graph, id).name, ...(reader ? { op: reader.index } : {}) });
  }
  return id;
}
