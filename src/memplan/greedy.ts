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

/**
 * First fit over positions in `buffers` (whose conflicts are given), in the
 * order `order`: offsets by position, and the aligned arena.
 */
export function firstFitPositions(buffers: readonly BufferRecord[], conflicts: readonly (readonly Conflict[])[], order: readonly number[]): { offsets: number[]; arenaBytes: number } {
  const offsets = new Array<number>(buffers.length).fill(-1);
  let arenaBytes = 0;
  for (const i of order) {
    const b = buffers[i]!;
    offsets[i] = lowestFit(b, conflicts[i]!, (j) => offsets[j]!);
    // The arena ends aligned, so that it is never below the (aligned) lower bound.
    arenaBytes = Math.max(arenaBytes, alignUp(offsets[i]! + b.bytes, b.align));
  }
  return { offsets, arenaBytes };
}

/** Places buffers in the given order, each at the lowest aligned offset its placed neighbours allow. */
export function firstFit(order: readonly BufferRecord[], rules: readonly OverlapRule[] = []): Placement {
  const r = firstFitPositions(order, conflictLists(order, rules), order.map((_, i) => i));
  return { offsets: new Map(order.map((b, i) => [b.id, r.offsets[i]!])), arenaBytes: r.arenaBytes };
}
