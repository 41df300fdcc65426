/**
 * Lower bounds. The layer-wise bound is the largest, over schedule steps, of the
 * aligned bytes that must be alive at once (the op's inputs, outputs and scratch
 * included): no placement of whole buffers can use less. The overlap bound is
 * the same with each step's overlap rule applied: the rule's input and output
 * count for the fewest bytes they can span together.
 */
import { minSpan, type OverlapRule } from "./overlap.js";
import { alignUp, livesAt, type BufferRecord } from "./types.js";

export interface StepLiveSet {
  readonly step: number;
  readonly buffers: readonly number[];
  readonly bytes: number;
}

export function liveSets(buffers: readonly BufferRecord[], steps: number): StepLiveSet[] {
  return Array.from({ length: Math.max(steps, 1) }, (_, step) => {
    const live = buffers.filter((b) => livesAt(b, step));
    return { step, buffers: live.map((b) => b.id), bytes: live.reduce((s, b) => s + alignUp(b.bytes, b.align), 0) };
  });
}

export function layerwiseBound(buffers: readonly BufferRecord[], steps: number): number {
  return Math.max(0, ...liveSets(buffers, steps).map((s) => s.bytes));
}

/** Aligned live bytes at each step with that step's overlap rules applied. */
export function overlapLiveBytes(buffers: readonly BufferRecord[], steps: number, rules: readonly OverlapRule[]): number[] {
  const byId = new Map(buffers.map((b) => [b.id, b]));
  return liveSets(buffers, steps).map((s) => {
    // Rules sharing a buffer cannot all save at once: count the best rule of each output, and of the step's
    // disjoint pairs only the largest saving per output (a safe lower bound).
    const best = new Map<number, number>();
    for (const r of rules) {
      if (r.step !== s.step) continue;
      const a = byId.get(r.input)!, b = byId.get(r.output)!;
      const saving = alignUp(a.bytes, a.align) + alignUp(b.bytes, b.align) - minSpan(r, a.bytes, b.bytes, Math.max(a.align, b.align));
      best.set(r.output, Math.max(best.get(r.output) ?? 0, saving));
    }
    return s.bytes - [...best.values()].reduce((x, y) => x + y, 0);
  });
}

export function overlapBound(buffers: readonly BufferRecord[], steps: number, rules: readonly OverlapRule[]): number {
  return Math.max(0, ...overlapLiveBytes(buffers, steps, rules));
}
