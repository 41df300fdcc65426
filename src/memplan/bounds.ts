/**
 * Lower bounds. The layer-wise bound is the largest, over schedule steps, of the
 * aligned bytes that must be alive at once (the op's inputs, outputs and scratch
 * included): no placement of whole buffers can use less.
 */
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
