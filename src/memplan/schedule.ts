/**
 * Operator reordering (Liberis & Lane, "Neural networks on microcontrollers:
 * saving memory at inference via operator reordering"): among the execution
 * orders the graph allows, find one whose peak of live bytes is lowest. The
 * cost of running an op is the aligned bytes of every tensor alive then (its
 * inputs, its output, everything produced earlier and still needed) plus its
 * scratch, less what its overlap rule saves when its input dies there — the
 * bound the placement then works against.
 *
 * Exhaustive search with memoisation over the set of executed ops (a graph
 * with branches has one state per combination of progress along them), within
 * a deterministic budget of states; beyond it, a greedy order that runs next
 * the op with the cheapest step. Ties keep the model's own order, and a new
 * order is used only when its peak is strictly lower.
 */
import { isConstant, tensorBytes } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { MemoryOption } from "../memory_options.js";
import { loweredOp, withOrder, type LoweredGraph } from "../lower/types.js";
import { aliasGroups } from "./analysis.js";
import { minSpan } from "./overlap.js";
import { alignUp } from "./types.js";

/** Memoised states allowed before falling back to the greedy order. */
export const SCHEDULE_STATE_BUDGET = 20_000;

export interface Schedule {
  /** The lowered graph with its nodes in the chosen order (node indices unchanged). */
  readonly lowered: LoweredGraph;
  /** True when the order differs from the model's. */
  readonly reordered: boolean;
  /** Set when reordering ran: the peak live bytes of the model's own order and of the chosen one. */
  readonly search?: {
    readonly peakBefore: number;
    readonly peakAfter: number;
    /** True when the exhaustive search finished within its budget (the order is optimal for this cost). */
    readonly exhaustive: boolean;
  };
}

interface Group {
  readonly bytes: number;
  readonly consumers: readonly number[]; // positions in graph.nodes
  readonly kept: boolean; // a graph output
  readonly producer: number; // position, or -1 for a graph input
}

interface OpCost {
  readonly inputs: readonly number[]; // groups read
  readonly outputs: readonly number[]; // groups written (shared with an input for aliasing ops)
  readonly creates: boolean; // false for aliasing ops
  readonly scratch: number;
  /** Overlap saving when group `input` dies at this op. */
  readonly overlap?: { readonly input: number; readonly saving: number };
}

/** The graph as the search sees it: buffer groups (aliased tensors share one) and what running each op costs. */
function scheduleModel(l: LoweredGraph, align: number, enabled: ReadonlySet<MemoryOption>): { groups: Group[]; ops: OpCost[] } {
  const { graph } = l;
  const { find } = aliasGroups(l);
  const groupOf = new Map<number, number>();
  const groups: { bytes: number; consumers: Set<number>; kept: boolean; producer: number }[] = [];
  const group = (id: number): number | undefined => {
    if (id < 0 || isConstant(tensorOf(graph, id))) return undefined;
    const r = find(id);
    if (!groupOf.has(r)) {
      groupOf.set(r, groups.length);
      groups.push({ bytes: 0, consumers: new Set(), kept: false, producer: -1 });
    }
    const g = groups[groupOf.get(r)!]!;
    g.bytes = Math.max(g.bytes, alignUp(tensorBytes(tensorOf(graph, id)), align));
    return groupOf.get(r)!;
  };
  graph.inputs.forEach((id) => group(id));
  const ops: OpCost[] = graph.nodes.map((node, pos) => {
    const lop = loweredOp(l, node);
    const inputs = [...new Set(node.inputs.map(group).filter((g): g is number => g !== undefined))];
    inputs.forEach((g) => groups[g]!.consumers.add(pos));
    const outputs = node.outputs.map((id) => group(id)!);
    if (!lop.aliasesInput) outputs.forEach((g) => (groups[g]!.producer = pos));
    const scratch = alignUp(lop.scratchBytes, align);
    const cap = lop.overlap.find((c) => enabled.has(c.option) && group(node.inputs[c.input]!) !== undefined);
    let overlap: OpCost["overlap"];
    if (cap && !lop.aliasesInput) {
      const input = group(node.inputs[cap.input]!)!;
      const a = tensorBytes(tensorOf(graph, node.inputs[cap.input]!)), b = tensorBytes(tensorOf(graph, node.outputs[0]!));
      overlap = { input, saving: alignUp(a, align) + alignUp(b, align) - minSpan(cap, a, b, align) };
    }
    return { inputs, outputs, creates: !lop.aliasesInput, scratch, overlap };
  });
  graph.outputs.forEach((id) => {
    const g = group(id);
    if (g !== undefined) groups[g]!.kept = true;
  });
  return { groups: groups.map((g) => ({ ...g, consumers: [...g.consumers] })), ops };
}

/** Searches orders of the model's ops for the lowest peak: exhaustive within the state budget, else greedy. */
function searchOrder(G: readonly Group[], ops: readonly OpCost[]): { order: number[]; peakOf: (order: readonly number[]) => number; exhaustive: boolean } {
  const n = ops.length;
  // Producers of each op's inputs (positions), for readiness.
  const needs = ops.map((o) => o.inputs.map((g) => G[g]!.producer).filter((q) => q >= 0));
  const done = (state: bigint, pos: number) => ((state >> BigInt(pos)) & 1n) === 1n;
  const alive = (g: Group, state: bigint) => (g.producer < 0 || done(state, g.producer)) && (g.kept || g.consumers.some((c) => !done(state, c)));

  /** Live bytes while running op `pos` from `state`. */
  const stepCost = (state: bigint, pos: number): number => {
    const o = ops[pos]!;
    let bytes = o.scratch;
    G.forEach((g, i) => {
      if (alive(g, state) || (o.creates && o.outputs.includes(i))) bytes += g.bytes;
    });
    if (o.overlap && !G[o.overlap.input]!.kept && G[o.overlap.input]!.consumers.every((c) => c === pos || done(state, c))) bytes -= o.overlap.saving;
    return bytes;
  };
  const ready = (state: bigint): number[] => {
    const r: number[] = [];
    for (let pos = 0; pos < n; pos++) if (!done(state, pos) && needs[pos]!.every((q) => done(state, q))) r.push(pos);
    return r;
  };
  const peakOf = (order: readonly number[]): number => {
    let state = 0n, peak = 0;
    for (const pos of order) {
      peak = Math.max(peak, stepCost(state, pos));
      state |= 1n << BigInt(pos);
    }
    return peak;
  };

  // Exhaustive: best(state) = min over ready ops of max(step cost, best(next state)).
  const memo = new Map<bigint, { peak: number; next: number }>();
  let exhaustive = true;
  const full = (1n << BigInt(n)) - 1n;
  const best = (state: bigint): number => {
    if (state === full) return 0;
    const hit = memo.get(state);
    if (hit) return hit.peak;
    if (memo.size >= SCHEDULE_STATE_BUDGET) {
      exhaustive = false;
      return Infinity;
    }
    let choice = { peak: Infinity, next: -1 };
    for (const pos of ready(state)) {
      const step = stepCost(state, pos);
      if (step >= choice.peak) continue;
      const peak = Math.max(step, best(state | (1n << BigInt(pos))));
      if (!exhaustive) return Infinity;
      if (peak < choice.peak) choice = { peak, next: pos };
    }
    memo.set(state, choice);
    return choice.peak;
  };
  best(0n);

  const order: number[] = [];
  // Exhaustive: follow the memo; else greedy: the ready op with the cheapest step, ties to the model's order.
  const next = exhaustive
    ? (state: bigint) => memo.get(state)!.next
    : (state: bigint) => ready(state).reduce((a, b) => (stepCost(state, b) < stepCost(state, a) ? b : a));
  for (let state = 0n; state !== full; ) {
    const pos = next(state);
    order.push(pos);
    state |= 1n << BigInt(pos);
  }
  return { order, peakOf, exhaustive };
}

export function reorder(l: LoweredGraph, align: number, enabled: ReadonlySet<MemoryOption>): Schedule {
  const nodes = l.graph.nodes;
  const { groups, ops } = scheduleModel(l, align, enabled);
  const search = searchOrder(groups, ops);
  const original = nodes.map((_, pos) => pos);
  const peakBefore = search.peakOf(original);
  const peakAfter = search.peakOf(search.order);
  const order = peakAfter >= peakBefore ? original : search.order;
  const reordered = order.some((pos, i) => pos !== i);
  return {
    lowered: reordered ? withOrder(l, order.map((pos) => nodes[pos]!)) : l,
    reordered, search: { peakBefore, peakAfter: Math.min(peakAfter, peakBefore), exhaustive: search.exhaustive },
  };
}
