/**
 * Overlap margins from a kernel's loop order. A kernel is a sequence of steps;
 * step t reads input bytes [readLo, readHi] and then writes output bytes
 * [writeLo, writeHi]. With the output placed d bytes after the input (d may be
 * negative), a write is harmless when it lands below every input byte a later
 * step still reads (run forward), or above every such byte (run in reverse).
 * The margins are the extreme d for which that holds at every step.
 */
import { elementCount, type Graph, type Node } from "../ir.js";
import { tensorOf } from "./common.js";
import type { OverlapCapability, MemoryOption } from "./types.js";

/** Range sentinels for a step that reads (or writes) nothing, e.g. a window entirely in the padding. */
export const NONE_LO = 2 ** 31 - 1;
export const NONE_HI = -(2 ** 31);

export interface AccessSteps {
  readonly readLo: Int32Array;
  readonly readHi: Int32Array;
  readonly writeLo: Int32Array;
  readonly writeHi: Int32Array;
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

/** A sliding-window kernel's geometry (convolution, depthwise convolution, pooling), NHWC int8. */
export interface WindowGeometry {
  readonly batches: number;
  readonly inH: number; readonly inW: number; readonly inC: number;
  readonly outH: number; readonly outW: number; readonly outC: number;
  readonly kH: number; readonly kW: number;
  readonly strideH: number; readonly strideW: number;
  readonly dilH: number; readonly dilW: number;
  readonly padTop: number; readonly padLeft: number;
}

/**
 * The steps of tinyc's portable window kernels: output pixels in row-major
 * order, and within a pixel the output channels in increasing order, each
 * reading the window (clipped to the image) over input channels
 * `channels(oc)` = [first, last] and writing one byte.
 */
export function windowSteps(g: WindowGeometry, channels: (oc: number) => readonly [number, number]): AccessSteps {
  const n = g.batches * g.outH * g.outW * g.outC;
  const s = { readLo: new Int32Array(n), readHi: new Int32Array(n), writeLo: new Int32Array(n), writeHi: new Int32Array(n) };
  const span = (o: number, stride: number, pad: number, k: number, dil: number, size: number): [number, number] => {
    let first = -1, last = -1;
    for (let i = 0; i < k; i++) {
      const x = o * stride - pad + i * dil;
      if (x < 0 || x >= size) continue;
      if (first < 0) first = x;
      last = x;
    }
    return [first, last];
  };
  const ranges = Array.from({ length: g.outC }, (_, oc) => channels(oc));
  let t = 0;
  for (let b = 0; b < g.batches; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const [y0, y1] = span(oy, g.strideH, g.padTop, g.kH, g.dilH, g.inH);
      for (let ox = 0; ox < g.outW; ox++) {
        const [x0, x1] = span(ox, g.strideW, g.padLeft, g.kW, g.dilW, g.inW);
        const empty = y0 < 0 || x0 < 0;
        const lo = ((b * g.inH + y0) * g.inW + x0) * g.inC, hi = ((b * g.inH + y1) * g.inW + x1) * g.inC;
        for (let oc = 0; oc < g.outC; oc++, t++) {
          const [c0, c1] = ranges[oc]!;
          s.readLo[t] = empty ? NONE_LO : lo + c0;
          s.readHi[t] = empty ? NONE_HI : hi + c1;
          s.writeLo[t] = s.writeHi[t] = t;
        }
      }
    }
  }
  return s;
}

/** A window kernel's capability: both directions (tinyc's portable window kernels run either way). */
export function windowOverlap(g: WindowGeometry, option: MemoryOption, channels: (oc: number) => readonly [number, number]): OverlapCapability[] {
  const m = marginsOf(windowSteps(g, channels));
  return [{ input: 0, option, forward: m.forward, backward: m.backward }];
}

/**
 * An element-wise int8 kernel reading element i of the input before writing
 * element i of the output, in increasing i: safe for every d ≤ 0.
 */
export function elementwiseOverlap(inputs: readonly number[]): OverlapCapability[] {
  return inputs.map((input) => ({ input, option: "elementwise-inplace", forward: 0 }));
}

/**
 * A broadcasting binary op (ADD, MUL): the inputs read at the output's own
 * index, i.e. not broadcast. CMSIS-NN's element-wise kernels (used only
 * without broadcasting) read each chunk before writing it, so the same holds.
 */
export function binaryOverlap(node: Node, graph: Graph): OverlapCapability[] {
  const n = elementCount(tensorOf(graph, node.outputs[0]!).shape);
  return elementwiseOverlap([0, 1].filter((i) => elementCount(tensorOf(graph, node.inputs[i]!).shape) === n));
}
