/**
 * Analysis: from a lowered graph (nodes in schedule order) to buffer records.
 * Each non-constant tensor gets a lifetime from the step that writes it to the
 * last step that reads it (graph inputs from step 0, graph outputs to the last
 * step); tensors an op aliases (reshape) share one buffer; each op's kernel
 * scratch is a buffer alive during that op only. Where an op's kernel allows
 * its output to overlap an input that dies at it (a lowered fact), and that
 * memory option is enabled, the analysis records an overlap rule.
 */
import { isConstant, tensorBytes, type Graph } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { MemoryOption } from "../memory_options.js";
import { loweredOp, type LoweredGraph } from "../lower/types.js";
import type { OverlapRule } from "./overlap.js";
import type { Segment } from "./segments.js";
import type { BufferRecord } from "./types.js";

export interface Analysis {
  readonly buffers: readonly BufferRecord[];
  /** Buffer id of every planned tensor (aliased tensors share one). */
  readonly tensorBuffer: ReadonlyMap<number, number>;
  /** Buffer id of each op's scratch, by node index. */
  readonly scratchBuffer: ReadonlyMap<number, number>;
  /** Node indices in execution order. */
  readonly schedule: readonly number[];
  /** Outputs allowed to overlap a dying input, at most one per op. */
  readonly rules: readonly OverlapRule[];
  /** Concatenation inputs written into their slice of the output: byte offset in the buffer, and pixel stride. */
  readonly slices: ReadonlyMap<number, { readonly offset: number; readonly pixelStride: number }>;
  /** Concatenations with nothing left to run (node indices). */
  readonly elided: ReadonlySet<number>;
}

/**
 * Union-find over tensors that share one buffer: an aliasing op's output joins
 * its input's group; `join` adds more (concatenation slices).
 */
export function aliasGroups(l: LoweredGraph): { find: (id: number) => number; join: (id: number, to: number) => void } {
  const root = new Map<number, number>();
  const find = (id: number): number => {
    let r = id;
    while (root.has(r)) r = root.get(r)!;
    return r;
  };
  const join = (id: number, to: number) => void root.set(id, find(to));
  for (const node of l.graph.nodes) if (loweredOp(l, node).aliasesInput) join(node.outputs[0]!, node.inputs[0]!);
  return { find, join };
}

/** Buffers, lifetimes and overlap rules for the graph's order, with `segments` row-streamed. */
export function analyze(l: LoweredGraph, align: number, enabled: ReadonlySet<MemoryOption>, segments: readonly Segment[] = []): Analysis {
  const { graph } = l;
  // A segment's ops interleave: everything they touch lives from its first step to its last; its intermediates are rings.
  const segmentAt = new Map<number, Segment>();
  for (const seg of segments) for (const step of seg.steps) segmentAt.set(step, seg);
  const ringsOf = (seg: Segment) => [...(seg.inputRing ? [seg.inputRing] : []), ...seg.rings];
  const ringTensors = new Set(segments.flatMap((seg) => ringsOf(seg).map((r) => r.tensor)));
  const schedule = graph.nodes.map((n) => n.index);
  const steps = graph.nodes.length;
  const lastStep = Math.max(0, steps - 1);

  const { find, join } = aliasGroups(l);
  const { slices, elided } = enabled.has("concat-slices") ? concatSlices(l) : { slices: new Map(), elided: new Set<number>() };
  for (const node of graph.nodes) {
    if (elided.has(node.index)) node.inputs.forEach((id) => join(id, node.outputs[0]!));
  }

  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const touch = (id: number, step: number) => {
    if (id < 0 || isConstant(tensorOf(graph, id))) return;
    const r = find(id);
    first.set(r, Math.min(first.get(r) ?? step, step));
    last.set(r, Math.max(last.get(r) ?? step, step));
  };
  graph.inputs.forEach((id) => !ringTensors.has(id) && touch(id, 0));
  graph.nodes.forEach((node, step) => {
    const seg = segmentAt.get(step);
    const span = seg ? [seg.steps[0]!, seg.steps[seg.steps.length - 1]!] : [step];
    for (const id of [...node.inputs, ...node.outputs]) {
      if (!ringTensors.has(id)) span.forEach((at) => touch(id, at));
    }
  });
  graph.outputs.forEach((id) => touch(id, lastStep));

  const bytes = new Map<number, number>();
  const members = new Map<number, number[]>();
  for (const t of graph.tensors) {
    if (isConstant(t) || !first.has(find(t.id))) continue;
    const r = find(t.id);
    bytes.set(r, Math.max(bytes.get(r) ?? 0, tensorBytes(t)));
    members.set(r, [...(members.get(r) ?? []), t.id]);
  }

  const buffers: BufferRecord[] = [];
  const tensorBuffer = new Map<number, number>();
  for (const [r, ids] of members) {
    const id = buffers.length;
    buffers.push({ id, name: tensorOf(graph, r).name, bytes: bytes.get(r)!, firstUse: first.get(r)!, lastUse: last.get(r)!, align });
    for (const t of ids) tensorBuffer.set(t, id);
  }
  for (const seg of segments) {
    for (const ring of ringsOf(seg)) {
      const id = buffers.length, t = tensorOf(graph, ring.tensor);
      buffers.push({ id, name: `${t.name} (ring of ${ring.rows} rows)`, bytes: ring.bytes, firstUse: seg.steps[0]!, lastUse: seg.steps[seg.steps.length - 1]!, align });
      tensorBuffer.set(ring.tensor, id);
    }
  }
  const scratchBuffer = new Map<number, number>();
  graph.nodes.forEach((node, step) => {
    const n = loweredOp(l, node).scratchBytes;
    if (n > 0) {
      const id = buffers.length, seg = segmentAt.get(step);
      const firstUse = seg ? seg.steps[0]! : step, lastUse = seg ? seg.steps[seg.steps.length - 1]! : step;
      buffers.push({ id, name: `scratch of op ${node.index}`, bytes: n, firstUse, lastUse, align });
      scratchBuffer.set(node.index, id);
    }
  });
  const rules = overlapRules(l, buffers, tensorBuffer, enabled, slices, segmentAt);
  for (const seg of segments) rules.push(...segmentRules(graph, seg, buffers, tensorBuffer));
  return { buffers, tensorBuffer, scratchBuffer, schedule, rules, slices, elided };
}

/**
 * Joining ops (concatenations) whose inputs can all be written by their
 * producers straight into the output: each input is read by the join only, is
 * no model input or output, and comes from a kernel that writes output pixels
 * at a stride; the slices are channel ranges (joined along the channels) or
 * whole blocks (nothing outside the axis).
 */
function concatSlices(l: LoweredGraph): Pick<Analysis, "slices" | "elided"> {
  const { graph } = l;
  const slices = new Map<number, { offset: number; pixelStride: number }>();
  const elided = new Set<number>();
  const producer = new Map(graph.nodes.flatMap((n) => n.outputs.map((id) => [id, n] as const)));
  const reads = new Map<number, number>();
  for (const n of graph.nodes) for (const id of n.inputs) reads.set(id, (reads.get(id) ?? 0) + 1);
  const boundary = new Set([...graph.inputs, ...graph.outputs]);
  for (const node of graph.nodes) {
    const cp = loweredOp(l, node).slices;
    if (!cp || boundary.has(node.outputs[0]!)) continue;
    const parts = node.inputs.map((id, k) => {
      const t = tensorOf(graph, id), made = producer.get(id);
      if (isConstant(t) || boundary.has(id) || reads.get(id) !== 1 || !made || !loweredOp(l, made).stridedOutput || t.shape.length !== 4) return undefined;
      const channels = t.shape[3]!, part = cp.parts[k]!;
      if (cp.outer === 1) return { id, offset: part.offset, pixelStride: channels };
      if (part.inner === channels) return { id, offset: part.offset, pixelStride: cp.outInner };
      return undefined;
    });
    if (parts.some((s) => s === undefined)) continue;
    for (const s of parts) slices.set(s!.id, { offset: s!.offset, pixelStride: s!.pixelStride });
    elided.add(node.index);
  }
  return { slices, elided };
}

/**
 * A segment's output may overlap its input, which dies as it is consumed, by
 * the band order's margin: one rule at each of its steps (both are alive at
 * all of them).
 */
function segmentRules(graph: Graph, seg: Segment, buffers: readonly BufferRecord[], tensorBuffer: ReadonlyMap<number, number>): OverlapRule[] {
  const input = tensorBuffer.get(seg.input), output = tensorBuffer.get(seg.output);
  const last = seg.steps[seg.steps.length - 1]!;
  const kept = new Set(graph.outputs.map((t) => tensorBuffer.get(t)));
  if (seg.inputRing || input === undefined || output === undefined || input === output || kept.has(input) || buffers[input]!.lastUse !== last) return [];
  return seg.steps.map((step) => ({ op: seg.ops[seg.ops.length - 1]!, step, option: "stream" as const, input, output, forward: seg.forward }));
}

function overlapRules(
  l: LoweredGraph, buffers: readonly BufferRecord[], tensorBuffer: ReadonlyMap<number, number>,
  enabled: ReadonlySet<MemoryOption>, slices: Analysis["slices"], segmentAt: ReadonlyMap<number, Segment>,
): OverlapRule[] {
  const { graph } = l;
  const kept = new Set(graph.outputs.map((t) => tensorBuffer.get(t)));
  const rules: OverlapRule[] = [];
  graph.nodes.forEach((node, step) => {
    if (segmentAt.has(step)) return;
    const output = tensorBuffer.get(node.outputs[0]!);
    // An output written as a slice has its own layout: the kernel's dense margins do not apply.
    if (output === undefined || node.outputs.length !== 1 || buffers[output]!.firstUse !== step || slices.has(node.outputs[0]!)) return;
    // One rule per op, or several when all run forwards only (no kernel direction to agree on).
    const mine: OverlapRule[] = [];
    for (const cap of loweredOp(l, node).overlap) {
      const input = tensorBuffer.get(node.inputs[cap.input]!);
      if (!enabled.has(cap.option) || input === undefined || input === output || kept.has(input) || buffers[input]!.lastUse !== step) continue;
      if (mine.some((r) => r.input === input)) continue;
      const rule = { op: node.index, step, option: cap.option, input, output, forward: cap.forward, backward: cap.backward };
      if (mine.length > 0 && (rule.backward !== undefined || mine[0]!.backward !== undefined)) continue;
      mine.push(rule);
    }
    rules.push(...mine);
  });
  return rules;
}
