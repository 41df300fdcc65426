/**
 * The planner's vocabulary. A buffer is one stretch of arena bytes that must stay
 * intact from the step that writes it to the last step that reads it: an
 * activation (possibly shared by aliased tensors such as a reshape's output) or
 * one op's scratch. Placement algorithms are pure functions from buffer records
 * to offsets.
 */
import type { MemoryOption } from "../memory_options.js";

export interface BufferRecord {
  readonly id: number;
  /** What the buffer holds, for reports: a tensor name or `scratch of op N`. */
  readonly name: string;
  readonly bytes: number;
  /** First and last schedule step (inclusive) at which the bytes must be intact. */
  readonly firstUse: number;
  readonly lastUse: number;
  readonly align: number;
}

export interface Placement {
  /** Byte offset of each buffer in the arena, by buffer id. */
  readonly offsets: ReadonlyMap<number, number>;
  readonly arenaBytes: number;
}

/**
 * An op whose kernel may write its output over an input that dies at it
 * (overlap.ts explains the offsets it allows).
 */
export interface OverlapRule {
  /** The op (node index) and its schedule step. */
  readonly op: number;
  readonly step: number;
  readonly option: MemoryOption;
  /** Buffer ids: the input that dies at the op, and the op's output. */
  readonly input: number;
  readonly output: number;
  /** Largest output − input offset for the kernel's normal order. */
  readonly forward: number;
  /** Smallest output − input offset for reverse order; absent when the kernel cannot run in reverse. */
  readonly backward?: number;
}

export type PlacementAlgorithm = (buffers: readonly BufferRecord[], rules: readonly OverlapRule[]) => Placement;

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

export function livesAt(b: BufferRecord, step: number): boolean {
  return b.firstUse <= step && step <= b.lastUse;
}

export function lifetimesOverlap(a: BufferRecord, b: BufferRecord): boolean {
  return a.firstUse <= b.lastUse && b.firstUse <= a.lastUse;
}
