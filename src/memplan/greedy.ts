/**
 * Greedy by size, TensorFlow Lite Micro's method: place the largest buffer first,
 * each at the lowest aligned offset where it overlaps no already-placed buffer
 * that is alive at the same time. Fast and usually good; not optimal.
 */
import { alignUp, lifetimesOverlap, type BufferRecord, type Placement } from "./types.js";

export function greedyBySize(buffers: readonly BufferRecord[]): Placement {
  return firstFit([...buffers].sort((a, b) => b.bytes - a.bytes || a.firstUse - b.firstUse || a.id - b.id));
}

/** Places buffers in the given order, each at the lowest aligned offset free of its time-overlapping neighbours. */
export function firstFit(order: readonly BufferRecord[]): Placement {
  const placed: { b: BufferRecord; offset: number }[] = [];
  const offsets = new Map<number, number>();
  let arenaBytes = 0;
  for (const b of order) {
    const conflicts = placed
      .filter((p) => lifetimesOverlap(p.b, b))
      .sort((x, y) => x.offset - y.offset);
    let offset = 0;
    for (const c of conflicts) {
      const candidate = alignUp(offset, b.align);
      if (candidate + b.bytes <= c.offset) break;
      offset = Math.max(offset, c.offset + c.b.bytes);
    }
    offset = alignUp(offset, b.align);
    placed.push({ b, offset });
    offsets.set(b.id, offset);
    // The arena ends aligned, so that it is never below the (aligned) lower bound.
    arenaBytes = Math.max(arenaBytes, alignUp(offset + b.bytes, b.align));
  }
  return { offsets, arenaBytes };
}
