/**
 * Row-streamed segments: runs of consecutive row ops (each op whose lowered
 * facts give it rows: its kernel computes a range of output rows through
 * rings) executed band by band (stream.ts), each intermediate held as a ring
 * of rows instead of a whole tensor. A segment is possible where each op reads
 * the previous op's output (and constants; a residual op, also the segment's
 * input), that output is read by nothing else, and no op but the first reads
 * whole input rows at once (`startsSegment`). The planner picks segments that
 * lower its bound (search.ts).
 */
import { isConstant, type Graph, type Node } from "../compiler/ir.js";
import type { Message } from "../diagnostics.js";
import { tensorOf } from "../compiler/ops/common.js";
import { marginsOf } from "../kernels/access.js";
import { loweredOp, type LoweredGraph } from "../lower/types.js";
import { segmentOverhead } from "./cost.js";
import { firstRowRead, rowsNeeded, segmentSchedule, segmentSteps, type RowCall, type RowOp, type SegmentSchedule } from "./stream.js";

export interface Segment {
  /** Schedule steps (positions in graph.nodes), consecutive, first to last. */
  readonly steps: readonly number[];
  /** Node indices of the same ops. */
  readonly ops: readonly number[];
  readonly schedule: SegmentSchedule;
  /** The tensor each op but the last writes, as a ring: its rows and bytes. */
  readonly rings: readonly Ring[];
  /** The segment's input (the first op's) and output (the last op's) tensors. */
  readonly input: number;
  readonly output: number;
  /** Largest output − input offset the band order allows (the output overwriting input rows already consumed). */
  readonly forward: number;
  /** Instructions it adds to running its ops whole, estimated (cost.ts). */
  readonly overhead: number;
  /**
   * With the model input streamed (--stream-input): the input, delivered a row
   * at a time by the user's callback just before the first op needs it, held
   * in a ring of these rows instead of whole.
   */
  readonly inputRing?: Ring;
}

/** The model inputs streamed row by row (--stream-input), each with the segment that reads it. */
export function streamedInputs(segments: readonly Segment[]): ReadonlyMap<number, Segment> {
  return new Map(segments.flatMap((seg) => (seg.inputRing ? [[seg.inputRing.tensor, seg] as const] : [])));
}

/** A tensor held as a ring of rows: row y at slot y mod rows. */
export interface Ring {
  readonly tensor: number;
  readonly rows: number;
  readonly bytes: number;
}

/** Bytes of one row of a [1, H, W, C] int8 tensor. */
const rowBytes = (graph: Graph, id: number) => {
  const s = tensorOf(graph, id).shape;
  return s[2]! * s[3]!;
};

/**
 * For each step, whether its op can stream and take the next step's op as
 * its consumer in a segment (`link[i]`: step i's output feeds only step i+1).
 */
export function streamableSteps(l: LoweredGraph): { can: boolean[]; link: boolean[] } {
  const { graph } = l;
  const readers = new Map<number, number>();
  for (const n of graph.nodes) for (const id of n.inputs) if (id >= 0) readers.set(id, (readers.get(id) ?? 0) + 1);
  const boundary = new Set([...graph.inputs, ...graph.outputs]);
  const can = graph.nodes.map((node) => {
    const row = loweredOp(l, node).rows;
    const acts = node.inputs.filter((id) => id >= 0 && !isConstant(tensorOf(graph, id)));
    const four = [...acts, ...node.outputs].every((id) => tensorOf(graph, id).shape.length === 4 && tensorOf(graph, id).dtype === "int8");
    const inputs = row?.residual ? acts.length === 2 && node.inputs.length === 2 : acts.length === 1 && acts[0] === node.inputs[0];
    return row !== undefined && inputs && node.outputs.length === 1 && four;
  });
  const link = graph.nodes.map((node, i) => {
    const next = graph.nodes[i + 1];
    const out = node.outputs[0]!;
    const rows = next && loweredOp(l, next).rows;
    const reads = next !== undefined && (rows?.residual ? next.inputs.includes(out) : next.inputs[0] === out);
    return can[i]! && can[i + 1]! && reads && readers.get(out) === 1 && !boundary.has(out) && !rows?.startsSegment;
  });
  return { can, link };
}

/** The input of a segment's op that comes from the op before it (the first op: its first input). */
export function chainInput(nodes: readonly Node[], k: number): number {
  if (k === 0) return nodes[0]!.inputs[0]!;
  const prev = nodes[k - 1]!.outputs[0]!;
  return nodes[k]!.inputs.includes(prev) ? prev : nodes[k]!.inputs[0]!;
}

/**
 * The segment of steps [first, last] (a chain: see streamableSteps), or
 * undefined when it cannot be one: a residual op first, or one whose other
 * input is not the segment's input (or is a streamed input, which is gone
 * row by row). `streamInput`: the segment's input is the model's input,
 * fetched row by row into a ring. `bandRows`: the last op's rows per band.
 */
export function segmentOf(l: LoweredGraph, first: number, last: number, streamInput = false, bandRows = 1): Segment | undefined {
  const { graph } = l;
  const nodes = graph.nodes.slice(first, last + 1);
  const ops: RowOp[] = nodes.map((n) => loweredOp(l, n).rows!);
  const segmentInput = nodes[0]!.inputs[0]!;
  for (const [k, o] of ops.entries()) {
    if (!o.residual) continue;
    if (streamInput) return undefined;
    const other = nodes[k]!.inputs.find((id) => id !== chainInput(nodes, k));
    if (k === 0 || other !== segmentInput || o.outH !== ops[0]!.inH) return undefined;
  }
  const schedule = streamInput ? oneRowCallsOfFirst(segmentSchedule(ops, bandRows)) : segmentSchedule(ops, bandRows);
  const rings = nodes.slice(0, -1).map((n, k) => {
    const tensor = n.outputs[0]!;
    return { tensor, rows: schedule.rings[k]!, bytes: schedule.rings[k]! * rowBytes(graph, tensor) };
  });
  const input = nodes[0]!.inputs[0]!, output = nodes[nodes.length - 1]!.outputs[0]!;
  const steps = nodes.map((_, k) => first + k), opIds = nodes.map((n) => n.index);
  const overhead = segmentOverhead(l, { steps, schedule }, streamInput);
  if (streamInput) {
    const rows = inputRingRows(ops[0]!, schedule);
    return { steps, ops: opIds, schedule, rings, input, output, forward: 0, overhead, inputRing: { tensor: input, rows, bytes: rows * rowBytes(graph, input) } };
  }
  const { forward } = marginsOf(segmentSteps(ops, schedule, rowBytes(graph, input), rowBytes(graph, output)));
  return { steps, ops: opIds, schedule, rings, input, output, forward, overhead };
}

/**
 * The schedule with each call of the first op split into one call per row:
 * with a streamed input, rows arrive just before the row that reads them, so
 * the input's ring needs one window of rows, not a band's.
 */
export function oneRowCallsOfFirst(s: SegmentSchedule): SegmentSchedule {
  const calls: RowCall[] = [], band: number[] = [];
  s.calls.forEach((c, i) => {
    for (let y = c.begin; y < (c.op === 0 ? c.end : c.begin + 1); y++) {
      calls.push(c.op === 0 ? { op: 0, begin: y, end: y + 1 } : c);
      band.push(s.band[i]!);
    }
  });
  return { ...s, calls, band };
}

/**
 * Rows of the ring holding a streamed input: before each call of the first
 * op, the rows up to the last it reads arrive; the rows before the first it
 * reads are no longer needed (later calls start no earlier).
 */
export function inputRingRows(first: RowOp, schedule: SegmentSchedule): number {
  let rows = 1;
  for (const c of schedule.calls) if (c.op === 0) rows = Math.max(rows, rowsNeeded(first, c.end) - firstRowRead(first, c.begin));
  return rows;
}

/**
 * The step whose op reads model input `id` when it can stream (the input
 * delivered row by row, never whole): an int8 [1, H, W, C] input, read by one
 * streamable op only, as its first input and not as a residual. Otherwise why
 * not: a TC123 message, which the caller raises where it applies.
 */
export function streamedInputStep(l: LoweredGraph, id: number): number | Message<"TC123"> {
  const { graph } = l;
  const t = tensorOf(graph, id);
  if (!graph.inputs.includes(id)) return { message: "notInput", values: { tensor: t.name } };
  if (t.dtype !== "int8" || t.shape.length !== 4 || t.shape[0] !== 1) return { message: "notRows", values: { tensor: t.name, dtype: t.dtype, shape: t.shape.join(", ") } };
  if (graph.outputs.includes(id)) return { message: "alsoOutput", values: { tensor: t.name } };
  const readers = graph.nodes.flatMap((n, step) => (n.inputs.includes(id) ? [step] : []));
  if (readers.length !== 1) {
    return { message: "readers", values: { tensor: t.name, count: readers.length, ops: readers.map((s) => graph.nodes[s]!.index).join(", ") } };
  }
  const step = readers[0]!, node = graph.nodes[step]!;
  const row = loweredOp(l, node).rows;
  if (node.inputs[0] !== id || node.inputs.filter((x) => x === id).length !== 1 || row === undefined || row.residual || !streamableSteps(l).can[step]) {
    return { message: "reader", values: { tensor: t.name, op: node.index, kind: node.kind, backend: l.backend } };
  }
  return step;
}
