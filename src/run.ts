/**
 * run(): compile, build the emulator firmware, run it in QEMU, and compare its
 * output (and every op's output hash) with the TypeScript reference. When an
 * output differs, the report carries a TC145 diagnostic naming the output and
 * the first op whose output differs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type CompileOptions, type CompiledModel } from "./compile.js";
import { dataBytes, elementCount, fromBytes, tensorBytes, type TensorData } from "./compiler/ir.js";
import { tensorOf } from "./compiler/ops/common.js";
import { runReference } from "./compiler/reference.js";
import { diagnostic, fail, TinycError, type Diagnostic } from "./diagnostics.js";
import { buildFirmware, buildHostProgram, type FirmwareSizes } from "./emulator/firmware.js";
import { DEFAULT_TIMEOUT_MS, runFirmware, runHostProgram, type HarnessOutput } from "./emulator/qemu.js";
import { between, markersOf, timingModelOf, type CycleCounters, type CycleReport } from "./emulator/cycles.js";
import { emulated } from "./targets.js";
import { xorshiftInput } from "./inputs.js";

export interface RunOptions extends CompileOptions {
  /**
   * The inputs' raw bytes: one buffer per model input, or one buffer holding
   * them all concatenated in input order; int8 / uint8 NHWC, or little-endian
   * float32 for a float input. Default: xorshift input k + 1 for input k (for a
   * float input, those int8 values / 128).
   */
  readonly input?: Int8Array | Uint8Array | readonly (Int8Array | Uint8Array)[];
  readonly timeoutMs?: number;
  /** Extra C flags for model.c (tests use it). */
  readonly modelCFlags?: readonly string[];
  /** The part's clock for the time estimate (default: the target file's). */
  readonly clockHz?: number;
  /** Flash wait states for the cycle estimate (default 0). */
  readonly flashWaitStates?: number;
  /** Rewrites the generated model.c before the build (tests use it to corrupt tables). */
  readonly patchSource?: (source: string) => string;
}

export interface LayerReport {
  readonly op: number;
  readonly kind: string;
  /** The kernel family that ran the op ("view" when its output aliases its input, "slices" when its inputs were written into it). */
  readonly kernel: string;
  readonly instructions: number;
  /** Estimated cycles (when the core has a timing model); like instructions, a segment's count in its last op. */
  readonly cycles?: number;
  readonly matches: boolean;
  /** A streamed op whose last rows no op reads computes only the first `computed` of its `of` rows; `matches` compares those. */
  readonly rows?: { readonly computed: number; readonly of: number };
  /** An op of a row-streamed segment: the segment's ops in order. They run interleaved, so all their instructions count in the last. */
  readonly segment?: readonly number[];
}

export interface RunReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  /** What the report should say about the backend on this target. */
  readonly backendNote?: string;
  /** Instructions per inference in QEMU (0 on `--target host`, which counts nothing). */
  readonly instructions: number;
  /** The cycle model's estimate, when the target's core has a timing model. */
  readonly cycles?: CycleEstimate;
  /** False on `--target host`: outputs and layers are compared, but instructions, flash and RAM are not measured. */
  readonly measured: boolean;
  readonly layers: readonly LayerReport[];
  readonly arenaBytes: number;
  readonly lowerBoundBytes: number;
  /** The bound that matches the memory options (the streamed bound when segments run, else the overlap bound when they are on). */
  readonly boundBytes: number;
  /** How the bound was reached: "streamed", "with overlaps" or "layer-wise". */
  readonly boundKind: string;
  readonly modelFlashBytes: number;
  readonly firmwareFlashBytes: number;
  readonly otherStaticRamBytes: number;
  readonly stackHighWaterBytes: number;
  /** arena + other static RAM + stack high-water. */
  readonly ramBytes: number;
  /** The firmware's first output, decoded by the output tensor's type (int8, uint8 or float32). */
  readonly output: TensorData;
  readonly reference: TensorData;
  /** Every output in the model's order, and the reference's. */
  readonly outputs: readonly TensorData[];
  readonly references: readonly TensorData[];
  /** Every output equals the reference. */
  readonly matches: boolean;
  /** The first op whose output differs from the reference, if any. */
  readonly firstMismatchOp?: number;
  readonly compileMs: number;
  /** TC145 when an output differs: which output, from which element, and the first op whose output differs. */
  readonly error?: Diagnostic;
}

/** Estimated cycles per inference, and time at the part's clock. */
export interface CycleEstimate {
  readonly cycles: number;
  readonly clockHz: number;
  readonly milliseconds: number;
  readonly flashWaitStates: number;
  /** The timing table's title (which core, which manual). */
  readonly model: string;
  /** Loads and stores per address range in one inference. */
  readonly accesses: CycleCounters["accesses"];
  /** Instructions and cycles per instruction class in one inference. */
  readonly classes: CycleCounters["classes"];
}

function fnv1a(data: TensorData): number {
  const bytes = dataBytes(data);
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619) >>> 0;
  return h >>> 0;
}

/** The default for input k: seed k + 1 xorshift bytes (int8 or uint8), or those int8 values / 128 for a float input. */
function defaultInput(dtype: string, elements: number, k: number): Uint8Array {
  const q = xorshiftInput(k + 1, elements);
  return dtype === "float32" ? dataBytes(Float32Array.from(q, (v) => v / 128)) : dataBytes(q);
}

const bytesOf = (b: Int8Array | Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Each model input's bytes, from one buffer per input, their concatenation, or the defaults; checks every size. */
export function modelInputs(c: CompiledModel, given: RunOptions["input"]): Uint8Array[] {
  const tensors = c.graph.inputs.map((id) => tensorOf(c.graph, id));
  const sizes = tensors.map(tensorBytes);
  const expected = () => tensors.map((t, k) => `input ${k} '${t.name}' [${t.shape.join(", ")}] ${t.dtype}: ${sizes[k]} bytes`).join("; ");
  if (given === undefined) return tensors.map((t, k) => defaultInput(t.dtype, elementCount(t.shape), k));
  const list = Array.isArray(given) ? (given as readonly (Int8Array | Uint8Array)[]) : [given as Int8Array | Uint8Array];
  if (list.length === 1) {
    // One buffer: the inputs concatenated in input order.
    const all = bytesOf(list[0]!);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (all.length !== total) {
      const t = tensors[0]!;
      if (tensors.length === 1) fail("TC120", "inputBytes", { bytes: all.length, tensor: t.name, shape: t.shape.join(", "), dtype: t.dtype, expected: total }, { file: c.modelPath });
      fail("TC120", "inputsBytes", { bytes: all.length, count: tensors.length, expected: total, inputs: expected() }, { file: c.modelPath });
    }
    let at = 0;
    return sizes.map((n) => all.slice(at, (at += n)));
  }
  const parts = list.map(bytesOf);
  if (parts.length !== tensors.length || parts.some((p, k) => p.length !== sizes[k])) {
    fail("TC120", "inputParts", { given: parts.length, sizes: parts.map((p) => p.length).join(", "), count: tensors.length, inputs: expected() }, { file: c.modelPath });
  }
  return parts;
}

export async function runCompiled(c: CompiledModel, options: RunOptions = {}): Promise<RunReport> {
  const inputs = modelInputs(c, options.input);
  const ref = runReference(c.prepared, inputs.map((b, k) => fromBytes(b, tensorOf(c.graph, c.graph.inputs[k]!).dtype)));
  const dir = mkdtempSync(join(tmpdir(), "tinyc-run-"));
  try {
    return await runIn(dir, c, options, inputs, ref);
  } catch (e) {
    throw inModel(e, c);
  } finally {
    if (!process.env.TINYC_KEEP_BUILD) rmSync(dir, { recursive: true, force: true });
  }
}

/** An error from the build or the run, with the model's file (and the op's output tensor, which names the op) where it names none. */
function inModel(e: unknown, c: CompiledModel): unknown {
  if (!(e instanceof TinycError)) return e;
  return new TinycError(e.diagnostics.map((d) => {
    const node = d.op === undefined ? undefined : c.graph.nodes.find((n) => n.index === d.op);
    const tensor = d.tensor ?? (node ? tensorOf(c.graph, node.outputs[0]!).name : undefined);
    return { ...d, file: d.file ?? c.modelPath, ...(tensor ? { tensor } : {}) };
  }));
}

async function runIn(dir: string, c: CompiledModel, options: RunOptions, inputs: readonly Uint8Array[], ref: ReturnType<typeof runReference>): Promise<RunReport> {
  const input = Uint8Array.from(inputs.flatMap((b) => [...b]));
  const compiled = options.patchSource ? { ...c, generated: { ...c.generated, source: options.patchSource(c.generated.source) } } : c;
  const bytes = new Int8Array(input.buffer, input.byteOffset, input.byteLength);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (c.target.host) {
    // Natively on the build machine: the outputs and every layer are compared; nothing is counted or measured.
    const out = await runHostProgram(await buildHostProgram(compiled, bytes, dir, options.modelCFlags), timeout);
    return report(c, { modelFlashBytes: 0, firmwareFlashBytes: 0, otherStaticRamBytes: 0 }, out, ref.outputs, ref.layers);
  }
  const fw = await buildFirmware(compiled, bytes, dir, options.modelCFlags);
  const marks = timingModelOf(c.target) ? await markersOf(fw.elf) : undefined;
  const counting = marks && { marks, flashWaitStates: options.flashWaitStates ?? 0 };
  const out = await runFirmware(emulated(c.target, "running firmware"), fw.elf, timeout, counting);
  return report(c, fw.sizes, out, ref.outputs, ref.layers, estimate(c, out, options));
}

/** The estimate of the timed invoke (the harness's markers 0 and 1), at the given or the part's clock. */
function estimate(c: CompiledModel, out: HarnessOutput, options: RunOptions): CycleEstimate | undefined {
  const start = out.cycles?.marks.get(0), end = out.cycles?.marks.get(1), model = timingModelOf(c.target);
  if (!out.cycles || !model || !c.target.part) return undefined;
  // The harness stores markers 0, 1 and 2 in that order: a missing or out-of-order one means the plugin missed a store.
  const order = [0, 1, 2].map((i) => out.cycles!.marks.get(i)?.instructions ?? -1);
  if (!start || !end || !(order[0]! < order[1]! && order[1]! < order[2]!)) {
    fail("TC144", "qemuExit", { exitCode: "0", output: JSON.stringify(`the cycle model missed a marker store (markers 0, 1, 2 at instructions ${order.join(", ")})`) });
  }
  const d = between(start, end), clockHz = options.clockHz ?? c.target.part.clockHz;
  return { cycles: d.cycles, clockHz, milliseconds: (d.cycles / clockHz) * 1000, flashWaitStates: options.flashWaitStates ?? 0, model: model.title, accesses: d.accesses, classes: d.classes };
}

/** Cycles per op from the per-op invoke's markers (2 starts it, 3 + op ends op), where an op left none its predecessor's end. */
function opCycles(cycles: CycleReport | undefined): (op: number) => number | undefined {
  const start = cycles?.marks.get(2);
  if (!cycles || !start) return () => undefined;
  let previous = start.cycles;
  return (op) => {
    // A marker last stored before the per-op invoke (the startup code zeroes them all) is an op that left none.
    const m = cycles.marks.get(3 + op);
    const end = m && m.instructions >= start.instructions ? m.cycles : previous;
    const n = end - previous;
    previous = end;
    return n;
  };
}

function report(
  c: CompiledModel, sizes: FirmwareSizes, out: HarnessOutput, references: readonly TensorData[],
  layers: TensorData[], cycles?: CycleEstimate,
): RunReport {
  const perTick = c.target.qemu ? 1e9 / c.target.qemu.systickHz : 0;
  // In execution order (the schedule); the harness records each op's end under its index.
  const nodes = c.graph.nodes;
  // An op inside a row-streamed segment (but its last) writes a ring: the hook hashes its rows as they are
  // written (the whole tensor's hash); its instructions count in the segment's last op.
  // Its rows below the last its consumer reads are never computed: the hash covers the rows that are.
  const streamed = new Map(c.plan.segments.flatMap((s) => s.ops.slice(0, -1).map((op, k) => [op, Math.max(...s.schedule.calls.filter((x) => x.op === k).map((x) => x.end))] as const)));
  const segmentOf = new Map(c.plan.segments.flatMap((s) => s.ops.map((op) => [op, s.ops] as const)));
  let previousTicks = 0;
  const cyclesOf = opCycles(out.cycles);
  const layerReports = nodes.map((node, i): LayerReport => {
    const segment = segmentOf.has(node.index) ? { segment: segmentOf.get(node.index)! } : {};
    const family = c.plan.elided.has(node.index) ? "slices" : c.lowered.ops.get(node.index)?.kernel?.family ?? "view";
    const rows = streamed.get(node.index);
    if (rows !== undefined) {
      const shape = tensorOf(c.graph, node.outputs[0]!).shape, whole = dataBytes(layers[i]!);
      const computed = rows < shape[1]! ? whole.subarray(0, rows * (whole.length / shape[1]!)) : whole;
      const matches = out.layerHashes[node.index] === fnv1a(computed);
      return { op: node.index, kind: node.kind, kernel: `${family} (streamed)`, instructions: 0, ...(cycles ? { cycles: 0 } : {}), matches, ...(rows < shape[1]! ? { rows: { computed: rows, of: shape[1]! } } : {}), ...segment };
    }
    const matches = out.layerHashes[node.index] === fnv1a(layers[i]!);
    const ticks = out.layerEndTicks[node.index] ?? previousTicks;
    const instructions = Math.round((ticks - previousTicks) * perTick);
    previousTicks = ticks;
    const opCycles = cyclesOf(node.index);
    return { op: node.index, kind: node.kind, kernel: family, instructions, ...(cycles && opCycles !== undefined ? { cycles: opCycles } : {}), matches, ...segment };
  });
  const firstBad = layerReports.find((l) => !l.matches);
  // The harness prints every output's bytes, concatenated in output order.
  let at = 0;
  const outputs = c.graph.outputs.map((id) => {
    const t = tensorOf(c.graph, id);
    return fromBytes(dataBytes(out.output).slice(at, (at += tensorBytes(t))), t.dtype);
  });
  const error = mismatch(c, outputs, references, out.output.length, firstBad?.op);
  return {
    model: c.modelPath,
    target: c.target.name,
    backend: c.backend,
    backendNote: c.backendNote,
    instructions: Math.round(out.totalTicks * perTick),
    ...(cycles ? { cycles } : {}),
    measured: !c.target.host,
    layers: layerReports,
    arenaBytes: c.plan.arenaBytes,
    lowerBoundBytes: c.plan.lowerBoundBytes,
    boundBytes: c.plan.boundBytes,
    boundKind: c.plan.streamBoundBytes !== undefined ? "streamed" : c.plan.overlapBoundBytes !== undefined ? "with overlaps" : "layer-wise",
    ...sizes,
    stackHighWaterBytes: out.stackHighWaterBytes,
    ramBytes: c.plan.arenaBytes + sizes.otherStaticRamBytes + out.stackHighWaterBytes,
    output: outputs[0]!,
    reference: references[0]!,
    outputs,
    references,
    matches: !error,
    firstMismatchOp: firstBad?.op,
    compileMs: c.compileMs,
    ...(error ? { error } : {}),
  };
}

/**
 * TC145 when the outputs (decoded from the `printed` bytes the harness wrote)
 * differ from the references: the first output that differs and from which
 * element, and the first op whose output differs (`firstOp`), which it points
 * at; undefined when every output is bit-exact.
 */
function mismatch(c: CompiledModel, outputs: readonly TensorData[], references: readonly TensorData[], printed: number, firstOp: number | undefined): Diagnostic | undefined {
  const expected = c.graph.outputs.reduce((n, id) => n + tensorBytes(tensorOf(c.graph, id)), 0);
  const k = outputs.findIndex((o, i) => Buffer.compare(Buffer.from(dataBytes(o)), Buffer.from(dataBytes(references[i]!))) !== 0);
  if (k < 0) return printed === expected ? undefined : diagnostic("TC145", "outputBytes", { bytes: printed, expected }, { file: c.modelPath });
  const got = dataBytes(outputs[k]!), want = dataBytes(references[k]!);
  let byte = 0;
  while (byte < got.length && byte < want.length && got[byte] === want[byte]) byte++;
  const values = { output: k, tensor: tensorOf(c.graph, c.graph.outputs[k]!).name, element: Math.floor(byte / references[k]!.BYTES_PER_ELEMENT) };
  const node = c.graph.nodes.find((n) => n.index === firstOp);
  if (!node) return diagnostic("TC145", "outputOnly", values, { file: c.modelPath, tensor: values.tensor });
  const where = { file: c.modelPath, op: node.index, tensor: tensorOf(c.graph, node.outputs[0]!).name };
  return diagnostic("TC145", "output", { ...values, op: node.index, kind: node.kind }, where);
}

export async function run(modelPath: string, options: RunOptions = {}): Promise<RunReport> {
  return runCompiled(compile(modelPath, options), options);
}
