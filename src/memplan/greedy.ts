/**
 * Greedy by size, TensorFlow Lite Micro's method: place the largest buffer first,
 * each at the lowest aligned offset where it overlaps no already-placed buffer
 * that is alive at the same time (except as an overlap rule allows). Fast and
 * usually good; not optimal.
 */
import { conflictLists, type Conflict, type OverlapRule } from "./overlap.js";
import { alignUp, type BufferRecord, type Placement } from "./types.js";

export function bySize(a: BufferRecord, b: BufferRecord): number {
  return b.bytes - a.bytes || a.firstUse - b.firstUse || a.id - b.id;
}

export function greedyBySize(buffers: readonly BufferRecord[], rules: readonly OverlapRule[] = []): Placement {
  return firstFit([...buffers].sort(bySize), rules);
}

/** The lowest aligned offset ≥ `from` outside every forbidden range of the placed conflicting buffers. */
export function lowestFit(b: BufferRecord, conflicts: readonly Conflict[], offsetOf: (i: number) => number, from = 0): number {
  let o = alignUp(from, b.align);
  for (let moved = true; moved; ) {
    moved = false;
    for (const c of conflicts) {
      const base = offsetOf(c.other);
      if (base < 0) continue;
      if (base + c.lo < o && o < base + c.hi) {
        o = alignUp(base + c.hi, b.align);
        moved = true;
      }
    }
  }
  return o;
}

/** Places buffers in the given order, each at the lowest aligned offset its placed neighbours allow. */
export function firstFit(order: readonly BufferRecord[], rules: readonly OverlapRule[] = []): Placement {
  const conflicts = conflictLists(order, rules);
  const offset = new Array<number>(order.length).fill(-1);
  const offsets = new Map<number, number>();
  let arenaBytes = 0;
  order.forEach((b, i) => {
    offset[i] = lowestFit(b, conflicts[i]!, (j) => offset[j]!);
    offsets.set(b.id, offset[i]!);
    // The arena ends aligned, so that it is never below the (aligned) lower bound.
    arenaBytes = Math.max(arenaBytes, alignUp(offset[i]! + b.bytes, b.align));
  });
  return { offsets, arenaBytes };
}
