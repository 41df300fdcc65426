/**
 * Overlap margins from a kernel's access order, for every family. A kernel is
 * a sequence of steps; step t reads input bytes [readLo, readHi] and then
 * writes output bytes [writeLo, writeHi]. With the output placed d bytes after
 * the input (d may be negative), a write is harmless when it lands below every
 * input byte a later step still reads (run forward), or above every such byte
 * (run in reverse). The margins are the extreme d for which that holds at
 * every step.
 */
import { elementCount } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { KernelOp, OverlapCapability } from "./types.js";

/** Range sentinels for a step that reads (or writes) nothing, e.g. a window entirely in the padding. */
export const NONE_LO = 2 ** 31 - 1;
export const NONE_HI = -(2 ** 31);

export interface AccessSteps {
  readonly readLo: Int32Array;
  readonly readHi: Int32Array;
  readonly writeLo: Int32Array;
  readonly writeHi: Int32Array;
}

/** First and last input coordinate a window at output position o reads along one axis (clipped to [0, size)), or [-1, -1]. */
export function windowSpan(o: number, stride: number, pad: number, k: number, dil: number, size: number): [number, number] {
  let first = -1, last = -1;
  for (let i = 0; i < k; i++) {
    const x = o * stride - pad + i * dil;
    if (x < 0 || x >= size) continue;
    if (first < 0) first = x;
    last = x;
  }
  return [first, last];
}

/** Access steps from a list of [readLo, readHi, writeLo, writeHi]. */
export function accessSteps(steps: readonly (readonly [number, number, number, number])[]): AccessSteps {
  const column = (k: number) => Int32Array.from(steps, (s) => s[k]!);
  return { readLo: column(0), readHi: column(1), writeLo: column(2), writeHi: column(3) };
}

/** `forward`: largest safe d running the steps in order; `backward`: smallest safe d running them last to first. */
export function marginsOf(s: AccessSteps): { forward: number; backward: number } {
  const n = s.readLo.length;
  let later = Infinity;
  let forward = Infinity;
  for (let t = n - 1; t >= 0; t--) {
    forward = Math.min(forward, later - s.writeHi[t]! - 1);
    later = Math.min(later, s.readLo[t]!);
  }
  let earlier = -Infinity;
  let backward = -Infinity;
  for (let t = 0; t < n; t++) {
    backward = Math.max(backward, earlier - s.writeLo[t]! + 1);
    earlier = Math.max(earlier, s.readHi[t]!);
  }
  return { forward, backward };
}

/**
 * An element-wise int8 kernel reading element i of the input before writing
 * element i of the output, in increasing i: safe for every d ≤ 0.
 */
export function elementwiseOverlap(inputs: readonly number[]): OverlapCapability[] {
  return inputs.map((input) => ({ input, option: "elementwise-inplace", forward: 0 }));
}

/**
 * A broadcasting binary op (ADD, MUL) element-wise: the inputs read at the
 * output's own index, i.e. those not broadcast.
 */
export function binaryOverlap({ node, graph }: KernelOp<unknown>): OverlapCapability[] {
  const n = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  return elementwiseOverlap([0, 1].filter((i) => elementCount(tensorOf(graph, node.inputs[i]!).shape) === n));
}
