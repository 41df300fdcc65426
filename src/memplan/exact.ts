/**
 * Exact placement by branch and bound. Any packing can be made "gravity
 * normal": every buffer at offset 0 or resting on a buffer alive at the same
 * time (at the aligned top of the range that buffer forbids it). Sorted by
 * offset, each buffer then rests on one placed before it, so the search places
 * buffers in nondecreasing offset, each at 0 or resting on a placed conflicting
 * buffer, and explores every buffer as the next one: it is complete whenever
 * every forbidden range ends above the buffer it is relative to (always true
 * without overlap rules; a rule that lets an output start at or above its
 * input's start breaks it, and then only meeting the bound proves a plan
 * optimal). It starts from the best first-fit plan (never worse than greedy),
 * improved by a local search over first-fit orders (move one buffer elsewhere
 * in the order, keep the move when the arena shrinks), then prunes with the
 * lower bound and the best arena found. Both are bounded by counts of work,
 * never by time, so one model always gets one plan.
 */
import { layerwiseBound, overlapBound } from "./bounds.js";
import { bySize, firstFitPositions } from "./greedy.js";
import { conflictLists, type Conflict, type OverlapRule } from "./overlap.js";
import { alignUp, type BufferRecord, type Placement } from "./types.js";

/**
 * Search nodes allowed by default: each node costs work proportional to the
 * number of buffers, so the budget is a fixed amount of work (deterministic,
 * independent of the machine): 200,000 nodes for small graphs, fewer for large.
 */
export function defaultNodeBudget(buffers: number): number {
  return Math.max(2_000, Math.min(200_000, Math.floor(10_000_000 / Math.max(1, buffers))));
}

export interface ExactPlacement extends Placement {
  readonly optimal: boolean;
  readonly nodes: number;
}

/** Orders whose first-fit placement seeds the search (the best one wins). */
const SEED_ORDERS: readonly ((a: BufferRecord, b: BufferRecord) => number)[] = [
  bySize, // greedy by size (TFLM)
  (a, b) => a.firstUse - b.firstUse || b.bytes - a.bytes || a.id - b.id, // by start time
  (a, b) => b.bytes * (b.lastUse - b.firstUse + 1) - a.bytes * (a.lastUse - a.firstUse + 1) || a.id - b.id, // by area
];

/** First-fit evaluations the local search may spend, times the buffer count: a fixed amount of work. */
const LOCAL_SEARCH_WORK = 2_000_000;

/**
 * Insertion moves over a first-fit order: take one buffer out, put it back
 * elsewhere, keep the order when the arena shrinks; repeat until no move
 * helps, the bound is met, or the work budget is spent.
 */
function improveOrder(
  buffers: readonly BufferRecord[], conflicts: readonly (readonly Conflict[])[], start: readonly number[], bound: number,
): { order: number[]; arenaBytes: number } {
  let order = [...start];
  let best = firstFitPositions(buffers, conflicts, order).arenaBytes;
  let evaluations = Math.floor(LOCAL_SEARCH_WORK / Math.max(1, buffers.length));
  for (let improved = true; improved && best > bound && evaluations > 0; ) {
    improved = false;
    for (let i = 0; i < order.length && best > bound && evaluations > 0; i++) {
      for (let j = 0; j < order.length && evaluations > 0; j++) {
        if (i === j) continue;
        const moved = [...order];
        moved.splice(j, 0, moved.splice(i, 1)[0]!);
        evaluations--;
        const arena = firstFitPositions(buffers, conflicts, moved).arenaBytes;
        if (arena < best) {
          [order, best, improved] = [moved, arena, true];
          break;
        }
      }
    }
  }
  return { order, arenaBytes: best };
}

export function exactPlacement(
  buffers: readonly BufferRecord[], rules: readonly OverlapRule[] = [], nodeBudget = defaultNodeBudget(buffers.length),
): ExactPlacement {
  const n = buffers.length;
  // Larger buffers first: good arenas are found early, so pruning bites.
  const order = [...buffers].sort(bySize);
  const conflicts = conflictLists(order, rules);
  const position = new Map(order.map((b, i) => [b.id, i]));
  const seedOrders = SEED_ORDERS.map((cmp) => [...buffers].sort(cmp).map((b) => position.get(b.id)!));
  const seeds = seedOrders.map((o) => ({ order: o, ...firstFitPositions(order, conflicts, o) }));
  let seed = seeds.reduce((a, b) => (b.arenaBytes < a.arenaBytes ? b : a));
  const steps = Math.max(0, ...buffers.map((b) => b.lastUse)) + 1;
  const bound = rules.length ? overlapBound(buffers, steps, rules) : layerwiseBound(buffers, steps);
  const asPlacement = (offsets: readonly number[], arenaBytes: number): Placement => ({ offsets: new Map(order.map((b, i) => [b.id, offsets[i]!])), arenaBytes });
  if (seed.arenaBytes > bound && n > 0) {
    const better = improveOrder(order, conflicts, seed.order, bound);
    if (better.arenaBytes < seed.arenaBytes) seed = { order: better.order, ...firstFitPositions(order, conflicts, better.order) };
  }
  if (seed.arenaBytes <= bound || n === 0) return { ...asPlacement(seed.offsets, seed.arenaBytes), optimal: true, nodes: 0 };

  const complete = conflicts.every((list) => list.every((c) => c.hi > 0));
  const offset = new Array<number>(n).fill(-1);
  let best = seed.arenaBytes;
  let bestOffsets: number[] | undefined;
  let nodes = 0;
  let exhausted = false;

  const fits = (i: number, o: number): boolean => {
    for (const c of conflicts[i]!) {
      const oj = offset[c.other]!;
      if (oj >= 0 && oj + c.lo < o && o < oj + c.hi) return false;
    }
    return true;
  };

  const search = (placed: number, lastOffset: number, lastIndex: number, top: number): void => {
    if (exhausted || best <= bound) return;
    if (placed === n) {
      if (top < best) {
        best = top;
        bestOffsets = [...offset];
      }
      return;
    }
    if (++nodes > nodeBudget) {
      exhausted = true;
      return;
    }
    // Every unplaced buffer still needs lastOffset + its size.
    for (let i = 0; i < n; i++) {
      if (offset[i]! < 0 && alignUp(lastOffset + order[i]!.bytes, order[i]!.align) >= best) return;
    }
    for (let i = 0; i < n; i++) {
      if (offset[i]! >= 0) continue;
      const b = order[i]!;
      // Candidates: 0, and the aligned tops of the ranges placed conflicting buffers forbid; never below the last offset.
      const candidates = new Set<number>([0]);
      for (const c of conflicts[i]!) if (offset[c.other]! >= 0) candidates.add(alignUp(offset[c.other]! + c.hi, b.align));
      for (const o of [...candidates].sort((x, y) => x - y)) {
        // Nondecreasing offsets; at an equal offset, increasing index (one order per set of ties).
        if (o < lastOffset || (o === lastOffset && i < lastIndex) || o % b.align !== 0) continue;
        const end = alignUp(o + b.bytes, b.align);
        if (Math.max(top, end) >= best) break; // candidates only grow from here
        if (!fits(i, o)) continue;
        offset[i] = o;
        search(placed + 1, o, i, Math.max(top, end));
        offset[i] = -1;
        if (exhausted || best <= bound) return;
      }
    }
  };
  search(0, 0, -1, 0);

  const proven = (!exhausted && complete) || best <= bound;
  return { ...asPlacement(bestOffsets ?? seed.offsets, best), optimal: proven, nodes };
}
