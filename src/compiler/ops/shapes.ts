/** Shape helpers for element-wise and data-movement ops: broadcasting and padding shapes to 6 dims. */

export const MAX_RANK = 6;

/** NumPy/TFLite broadcasting of two shapes (aligned on the right), or undefined when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1, y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(Math.max(x, y));
  }
  return out;
}

/** `shape` left-padded with 1s to `rank` dims. */
export function padShape(shape: readonly number[], rank = MAX_RANK): number[] {
  return [...Array<number>(rank - shape.length).fill(1), ...shape];
}

/** Element strides of `input` (row-major) read along `out`'s dims (both padded to 6): 0 where the input broadcasts. */
export function broadcastStrides(out: readonly number[], input: readonly number[]): number[] {
  const o = padShape(out), i = padShape(input);
  const strides = Array<number>(MAX_RANK).fill(0);
  let s = 1;
  for (let d = MAX_RANK - 1; d >= 0; d--) {
    strides[d] = i[d] === 1 && o[d] !== 1 ? 0 : s;
    s *= i[d]!;
  }
  return strides;
}

export interface BroadcastGeometry {
  readonly dims: readonly number[];
  readonly stride1: readonly number[];
  readonly stride2: readonly number[];
}

export function broadcastGeometry(out: readonly number[], in1: readonly number[], in2: readonly number[]): BroadcastGeometry {
  return { dims: padShape(out), stride1: broadcastStrides(out, in1), stride2: broadcastStrides(out, in2) };
}

/** Calls fn(offset in input 1, offset in input 2) for every output element in order. */
export function forEachBroadcast(g: BroadcastGeometry, fn: (o1: number, o2: number) => void): void {
  const [d0, d1, d2, d3, d4, d5] = g.dims as [number, number, number, number, number, number];
  const s = g.stride1, t = g.stride2;
  for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let c = 0; c < d2; c++)
    for (let d = 0; d < d3; d++) for (let e = 0; e < d4; e++) for (let f = 0; f < d5; f++) {
      fn(a * s[0]! + b * s[1]! + c * s[2]! + d * s[3]! + e * s[4]! + f * s[5]!,
        a * t[0]! + b * t[1]! + c * t[2]! + d * t[3]! + e * t[4]! + f * t[5]!);
    }
}

/** Whether an element-wise binary op's inputs both have the output's element count (no broadcasting). */
export function broadcasts(g: BroadcastGeometry, in1: readonly number[], in2: readonly number[]): boolean {
  const n = g.dims.reduce((a, b) => a * b, 1);
  return in1.reduce((a, b) => a * b, 1) !== n || in2.reduce((a, b) => a * b, 1) !== n;
}

/** A sliding-window op's geometry (convolution, depthwise convolution, pooling), NHWC int8. */
export interface WindowGeometry {
  readonly batches: number;
  readonly inH: number; readonly inW: number; readonly inC: number;
  readonly outH: number; readonly outW: number; readonly outC: number;
  readonly kH: number; readonly kW: number;
  readonly strideH: number; readonly strideW: number;
  readonly dilH: number; readonly dilW: number;
  readonly padTop: number; readonly padLeft: number;
}
