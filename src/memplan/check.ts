/** The overlap checker every planner test uses, and an ASCII picture of a plan. */
import { forbiddenRange, ruleLookup, type OverlapRule } from "./overlap.js";
import { lifetimesOverlap, type BufferRecord, type Placement } from "./types.js";

export interface Overlap {
  readonly a: number;
  readonly b: number;
}

/**
 * Pairs of buffers alive at the same step whose bytes intersect (beyond what an
 * overlap rule allows), and misaligned or out-of-arena buffers.
 */
export function overlaps(
  buffers: readonly BufferRecord[], placement: Placement, rules: readonly OverlapRule[] = [],
): { overlaps: Overlap[]; misaligned: number[]; outside: number[] } {
  const result = { overlaps: [] as Overlap[], misaligned: [] as number[], outside: [] as number[] };
  for (const b of buffers) {
    const o = placement.offsets.get(b.id)!;
    if (o % b.align !== 0) result.misaligned.push(b.id);
    if (o < 0 || o + b.bytes > placement.arenaBytes) result.outside.push(b.id);
  }
  const ruleFor = ruleLookup(rules);
  for (let i = 0; i < buffers.length; i++) {
    for (let j = i + 1; j < buffers.length; j++) {
      const a = buffers[i]!, b = buffers[j]!;
      if (!lifetimesOverlap(a, b)) continue;
      const [lo, hi] = forbiddenRange(a, b, ruleFor(a.id, b.id));
      const d = placement.offsets.get(b.id)! - placement.offsets.get(a.id)!;
      if (lo < d && d < hi) result.overlaps.push({ a: a.id, b: b.id });
    }
  }
  return result;
}

/** Rows are buffers, columns are steps; the bar shows where the buffer lives and its byte range. */
export function asciiPlan(buffers: readonly BufferRecord[], placement: Placement, steps: number): string {
  const rows = [...buffers].sort((a, b) => placement.offsets.get(a.id)! - placement.offsets.get(b.id)! || a.firstUse - b.firstUse);
  const width = Math.max(...rows.map((b) => String(placement.offsets.get(b.id)! + b.bytes).length), 6);
  const lines = rows.map((b) => {
    const o = placement.offsets.get(b.id)!;
    const bar = Array.from({ length: steps }, (_, s) => (s >= b.firstUse && s <= b.lastUse ? "#" : ".")).join("");
    return `${String(o).padStart(width)}..${String(o + b.bytes).padEnd(width)} ${bar}  ${b.name}`;
  });
  return [`arena ${placement.arenaBytes} bytes; steps 0..${steps - 1}`, ...lines].join("\n");
}
