/**
 * Random single-op models for every op: shapes, quantization (zero points -128
 * and 127 included, multipliers giving shifts of both signs), strides, SAME
 * padding on odd sizes, broadcasting. Shared by the host-C tests and the
 * TensorFlow Lite Micro oracle test. After them, the models and case sets
 * that a test file shares with its emulator half (*.emu.test.ts).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type CompiledModel } from "../src/compile.js";
import type { Activation, Graph, Node, Padding } from "../src/compiler/ir.js";
import { computePadding } from "../src/compiler/ops/common.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { sliceRanges } from "../src/compiler/ops/strided_slice.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { TinycError } from "../src/diagnostics.js";
import type { Backend } from "../src/kernels/registry.js";
import { buildZoo } from "../src/zoo/index.js";
import { GraphBuilder, inputFor, prepares, Random, type HostCase } from "./host-kernels.js";

export type Generator = (r: Random, i: number) => Graph | undefined;

const ACTIVATIONS: Activation[] = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

/** Output scale such that the requantization multiplier spans 2^-14 .. 2^3 (shifts of both signs). */
function outScaleFor(r: Random, accScale: number): number {
  return Math.fround(accScale * 2 ** (r.next() * 17 - 3));
}

/** Optional constraints on convLike's draws (the DSP family's specialised kernels, wider channel counts). */
export interface ConvShape {
  readonly window?: readonly [number, number];
  readonly maxChannels?: number;
  /** About half the channels get a bias so large that their output is one byte whatever the input (dead and pruned channels). */
  readonly deadChannels?: boolean;
  /** Depthwise: this depth multiplier instead of a random one in [1, 3]. */
  readonly depthMultiplier?: number;
  /**
   * log2 of the largest channel's effective scale (input scale * weight scale /
   * output scale) drawn from one of these ranges instead of [-14, 3]: e.g.
   * right shifts past the DSP pair kernel's, or left shifts.
   */
  readonly scaleLog2?: readonly (readonly [number, number])[];
}

export function convLike(r: Random, depthwise: boolean, index: number, shape: ConvShape = {}): Graph | undefined {
  const b = new GraphBuilder();
  const n = r.pick([1, 1, 1, 2]);
  const h = r.int(1, 11), w = r.int(1, 11);
  const inC = r.int(1, shape.maxChannels ?? 7);
  const m = depthwise ? (shape.depthMultiplier ?? r.int(1, 3)) : 1;
  const outC = depthwise ? inC * m : r.int(1, shape.maxChannels ? shape.maxChannels + 2 : 9);
  const kH = shape.window?.[0] ?? r.pick([1, 2, 3, 5]), kW = shape.window?.[1] ?? r.pick([1, 2, 3]);
  const stride = r.pick([1, 2, 2]), strideW = r.pick([stride, 1, 2]);
  const dil = shape.window ? 1 : r.pick([1, 1, 1, 2]);
  const padding: Padding = r.pick(["SAME", "VALID"]);
  const p = computePadding(padding, h, w, kH, kW, stride, strideW, dil, dil);
  if (p.outH < 1 || p.outW < 1) return undefined;
  const inScale = r.scale(0.002, 0.5), inZp = r.zeroPoint();
  const wScales = Array.from({ length: r.pick([1, outC]) === 1 && !depthwise && r.next() < 0.3 ? 1 : outC }, () => r.scale(0.001, 0.05));
  const outZp = r.zeroPoint();
  const range = shape.scaleLog2 ? r.pick(shape.scaleLog2) : undefined;
  const outScale = range ? Math.fround(inScale * Math.max(...wScales) / 2 ** (range[0] + r.next() * (range[1] - range[0]))) : outScaleFor(r, inScale * Math.max(...wScales));
  const input = b.activation("input", [n, h, w, inC], inScale, inZp);
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const filter = b.int8Const("filter", filterShape, r.int8s(filterShape.reduce((a, x) => a * x, 1)), wScales, depthwise ? 3 : 0);
  const hasBias = shape.deadChannels || r.next() < 0.9;
  const biases = hasBias ? r.int32s(outC, 1 << 14) : new Int32Array(0);
  if (shape.deadChannels) biases.forEach((_, c) => { if (r.next() < 0.5) biases[c] = r.pick([-1, 1]) * r.int(1 << 24, 1 << 30); });
  const bias = hasBias ? b.int32Const("bias", biases, inScale * wScales[0]!) : -1;
  const output = b.activation("output", [n, p.outH, p.outW, outC], outScale, outZp);
  const options = { padding, strideH: stride, strideW, dilationH: dil, dilationW: dil, activation: r.pick(ACTIVATIONS) };
  return depthwise
    ? b.graph(`dw${index}`, { kind: "DEPTHWISE_CONV_2D", inputs: [input, filter, bias], outputs: [output], options: { ...options, depthMultiplier: m } }, input, output)
    : b.graph(`conv${index}`, { kind: "CONV_2D", inputs: [input, filter, bias], outputs: [output], options }, input, output);
}

/** Optional bounds on pool's draws: the largest window side, input side and channel count (defaults 4, 12, 9). */
export interface PoolShape {
  readonly maxK?: number;
  readonly maxSide?: number;
  readonly maxChannels?: number;
}

/** AVERAGE_POOL_2D or MAX_POOL_2D: the input's quantization carries over. */
export function pool(kind: "AVERAGE_POOL_2D" | "MAX_POOL_2D", prefix: string, names: [string, string], shape: PoolShape = {}) {
  return (r: Random, index: number): Graph | undefined => {
    const b = new GraphBuilder();
    const n = r.pick([1, 2]), h = r.int(1, shape.maxSide ?? 12), w = r.int(1, shape.maxSide ?? 12), c = r.int(1, shape.maxChannels ?? 9);
    const kH = r.int(1, shape.maxK ?? 4), kW = r.int(1, shape.maxK ?? 4), sH = r.pick([1, 2, 3]), sW = r.pick([1, 2]);
    const padding: Padding = r.pick(["SAME", "VALID"]);
    const p = computePadding(padding, h, w, kH, kW, sH, sW);
    if (p.outH < 1 || p.outW < 1) return undefined;
    const scale = r.scale(0.005, 0.2), zp = r.zeroPoint();
    const input = b.activation(names[0], [n, h, w, c], scale, zp);
    const output = b.activation(names[1], [n, p.outH, p.outW, c], scale, zp);
    return b.graph(`${prefix}${index}`, { kind, inputs: [input], outputs: [output], options: { padding, strideH: sH, strideW: sW, filterH: kH, filterW: kW, activation: r.pick(ACTIVATIONS) } }, input, output);
  };
}

function fullyConnected(r: Random, index: number): Graph {
  const b = new GraphBuilder();
  const batches = r.int(1, 3), depth = r.int(1, 40), out = r.int(1, 11);
  const inScale = r.scale(0.002, 0.5);
  const wScales = Array.from({ length: r.next() < 0.5 ? 1 : out }, () => r.scale(0.001, 0.05));
  const input = b.activation("input", [batches, depth], inScale, r.zeroPoint());
  const filter = b.int8Const("filter", [out, depth], r.int8s(out * depth), wScales, 0);
  const bias = r.next() < 0.9 ? b.int32Const("bias", r.int32s(out, 1 << 14), inScale * wScales[0]!) : -1;
  const output = b.activation("output", [batches, out], outScaleFor(r, inScale * Math.max(...wScales)), r.zeroPoint());
  return b.graph(`fc${index}`, { kind: "FULLY_CONNECTED", inputs: [input, filter, bias], outputs: [output], options: { activation: r.pick(ACTIVATIONS), keepNumDims: false } }, input, output);
}

function softmax(r: Random, index: number): Graph {
  const b = new GraphBuilder();
  const shape = r.pick([[r.int(1, 4), r.int(1, 24)], [1, r.int(1, 3), r.int(1, 3), r.int(1, 12)]]);
  const input = b.activation("input", shape, r.scale(0.01, 1), r.zeroPoint());
  const output = b.activation("output", shape, 1 / 256, -128);
  return b.graph(`softmax${index}`, { kind: "SOFTMAX", inputs: [input], outputs: [output], options: { beta: Math.fround(r.pick([1, 1, 0.5, 2, r.scale(0.2, 3)])) } }, input, output);
}

export const CONV_GENERATORS: Record<string, Generator> = {
  CONV_2D: (r, i) => convLike(r, false, i),
  DEPTHWISE_CONV_2D: (r, i) => convLike(r, true, i),
  AVERAGE_POOL_2D: pool("AVERAGE_POOL_2D", "pool", ["input", "output"]),
  FULLY_CONNECTED: fullyConnected,
  SOFTMAX: softmax,
};

function shape(r: Random, minRank = 1, maxRank = 4): number[] {
  return Array.from({ length: r.int(minRank, maxRank) }, () => r.int(1, 5));
}

/** A shape that broadcasts against `s`: some dims set to 1, or leading dims dropped. */
function broadcastable(r: Random, s: number[]): number[] {
  const kind = r.int(0, 3);
  if (kind === 0) return [...s];
  if (kind === 1) return s.map((d) => (r.next() < 0.5 ? 1 : d));
  if (kind === 2) return s.slice(r.int(0, s.length - 1));
  return s.map((d, i) => (i === s.length - 1 ? d : 1)); // per-channel vector, as squeeze-excite
}

export function binary(kind: "ADD" | "SUB" | "MUL") {
  return (r: Random, i: number): Graph | undefined => {
    const b = new GraphBuilder();
    const s1 = shape(r), s2 = broadcastable(r, s1);
    const [first, second] = r.next() < 0.5 ? [s1, s2] : [s2, s1];
    const sc1 = r.scale(0.005, 0.5), sc2 = r.scale(0.005, 0.5);
    const outScale = kind !== "MUL" ? Math.fround(Math.max(sc1, sc2) * 2 ** (r.next() * 6 - 3)) : Math.fround(sc1 * sc2 * 2 ** (r.next() * 13 - 3));
    const x = b.activation("x", first, sc1, r.zeroPoint());
    const y = b.activation("y", second, sc2, r.zeroPoint());
    const out = b.activation("out", s1.length >= s2.length ? s1 : s2, outScale, r.zeroPoint());
    const g = b.graph(`${kind.toLowerCase()}${i}`, { kind, inputs: [x, y], outputs: [out], options: { activation: r.pick(ACTIVATIONS) } }, x, out, false);
    return prepares(g) ? legalize(withSecondInputConstant(g, y, r)) : undefined;
  };
}

/** MAXIMUM / MINIMUM: broadcasting shapes (a scalar constant often), one quantization for inputs and output. */
export function maxMin(kind: "MAXIMUM" | "MINIMUM") {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const s1 = shape(r), s2 = r.next() < 0.3 ? [1] : broadcastable(r, s1);
    const [first, second] = r.next() < 0.5 ? [s1, s2] : [s2, s1];
    const scale = r.scale(0.005, 0.5), zp = r.zeroPoint();
    const x = b.activation("x", first, scale, zp);
    const y = b.activation("y", second, scale, zp);
    const out = b.activation("out", s1.length >= s2.length ? s1 : s2, scale, zp);
    return legalize(withSecondInputConstant(b.graph(`${kind.toLowerCase()}${i}`, { kind, inputs: [x, y], outputs: [out], options: {} }, x, out, false), y, r));
  };
}

/** The host harness feeds one input; the second operand becomes random constant data. */
function withSecondInputConstant(g: Graph, id: number, r: Random): Graph {
  const t = g.tensors[id]!;
  const n = t.shape.reduce((a, d) => a * d, 1);
  const data = r.int8s(n);
  const tensors = g.tensors.map((x) => (x.id === id ? { ...x, data: new Uint8Array(data.buffer) } : x));
  return { ...g, tensors };
}

export function unary(kind: "HARD_SWISH" | "LOGISTIC" | "TANH" | "RELU" | "RELU6" | "QUANTIZE") {
  return (r: Random, i: number): Graph | undefined => {
    const b = new GraphBuilder();
    const s = shape(r);
    const inScale = r.scale(0.004, 0.3), inZp = r.zeroPoint();
    const [outScale, outZp] =
      kind === "LOGISTIC" ? [1 / 256, -128]
      : kind === "TANH" ? [1 / 128, 0]
      : kind === "RELU6" ? [inScale, inZp]
      : kind === "HARD_SWISH" ? [Math.fround(inScale * 2 ** (r.next() * 7 - 6)), r.zeroPoint()]
      : [Math.fround(inScale * 2 ** (r.next() * 8 - 4)), r.zeroPoint()];
    const x = b.activation("x", s, inScale, inZp);
    const out = b.activation("out", s, outScale, outZp);
    const g = b.graph(`${kind.toLowerCase()}${i}`, { kind, inputs: [x], outputs: [out], options: {} } as never, x, out);
    return prepares(g) ? g : undefined;
  };
}

function concat(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const base = shape(r, 1, 4);
  const axis = r.int(0, base.length - 1);
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const parts = Array.from({ length: r.int(2, 3) }, () => base.map((d, k) => (k === axis ? r.int(1, 4) : d)));
  const ids = parts.map((s, k) => b.activation(`x${k}`, s, scale, zp));
  const out = b.activation("out", base.map((d, k) => (k === axis ? parts.reduce((a, s) => a + s[axis]!, 0) : d)), scale, zp);
  const g = b.graph(`concat${i}`, { kind: "CONCATENATION", inputs: ids, outputs: [out], options: { axis: r.next() < 0.3 ? axis - base.length : axis, activation: "NONE" } }, ids[0]!, out, false);
  return legalize(ids.slice(1).reduce((acc, id) => withSecondInputConstant(acc, id, r), g));
}

function mean(r: Random, i: number): Graph | undefined {
  const b = new GraphBuilder();
  const s = shape(r, 2, 4);
  const axes = s.map((_, k) => k).filter(() => r.next() < 0.5);
  if (axes.length === 0) axes.push(r.int(0, s.length - 1));
  const keepDims = r.next() < 0.5;
  const x = b.activation("x", s, r.scale(0.01, 0.3), r.zeroPoint());
  const axisData = Int32Array.from(axes.map((a) => (r.next() < 0.3 ? a - s.length : a)));
  const axis = b.add("axis", [axisData.length], "int32", undefined, new Uint8Array(axisData.buffer));
  const outShape = keepDims ? s.map((d, k) => (axes.includes(k) ? 1 : d)) : s.filter((_, k) => !axes.includes(k));
  const out = b.activation("out", outShape.length ? outShape : [1], r.scale(0.01, 0.3), r.zeroPoint());
  const g = b.graph(`mean${i}`, { kind: "MEAN", inputs: [x, axis], outputs: [out], options: { keepDims } }, x, out);
  return prepares(g) ? g : undefined;
}

/** REDUCE_MAX over random axes, keep_dims or not; the output keeps the input's quantization. */
function reduceMax(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const axes = s.map((_, k) => k).filter(() => r.next() < 0.5);
  if (axes.length === 0) axes.push(r.int(0, s.length - 1));
  const keepDims = r.next() < 0.5;
  const scale = r.scale(0.01, 0.3), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const axisData = Int32Array.from(axes.map((a) => (r.next() < 0.3 ? a - s.length : a)));
  const axis = b.add("axis", [axisData.length], "int32", undefined, new Uint8Array(axisData.buffer));
  const outShape = keepDims ? s.map((d, k) => (axes.includes(k) ? 1 : d)) : s.filter((_, k) => !axes.includes(k));
  const out = b.activation("out", outShape.length ? outShape : [1], scale, zp);
  return b.graph(`reduce_max${i}`, { kind: "REDUCE_MAX", inputs: [x, axis], outputs: [out], options: { keepDims } }, x, out);
}

/**
 * RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR: up- and downscaling, outputs up to
 * `maxOut` a side, with the flags `flags` draws (every combination the op accepts).
 */
function resize(kind: "RESIZE_NEAREST_NEIGHBOR" | "RESIZE_BILINEAR", prefix: string, maxOut: number, flags: (r: Random) => { alignCorners: boolean; halfPixelCenters: boolean }) {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const n = r.pick([1, 2]), h = r.int(1, 7), w = r.int(1, 7), c = r.int(1, 4);
    const oh = r.int(1, maxOut), ow = r.int(1, maxOut);
    const scale = r.scale(0.01, 0.3), zp = r.zeroPoint();
    const x = b.activation("x", [n, h, w, c], scale, zp);
    const size = b.add("size", [2], "int32", undefined, new Uint8Array(Int32Array.from([oh, ow]).buffer));
    const out = b.activation("out", [n, oh, ow, c], scale, zp);
    return b.graph(`${prefix}${i}`, { kind, inputs: [x, size], outputs: [out], options: flags(r) }, x, out);
  };
}

const resizeNearest = resize("RESIZE_NEAREST_NEIGHBOR", "resize_nn", 12, (r) => ({ alignCorners: r.next() < 0.5, halfPixelCenters: r.next() < 0.5 }));
// align_corners and half_pixel_centers together are refused by TensorFlow Lite.
const resizeBilinear = resize("RESIZE_BILINEAR", "resize_bl", 14, (r) => {
  const mode = r.int(0, 2);
  return { alignCorners: mode === 1, halfPixelCenters: mode === 2 };
});

/** LEAKY_RELU: alpha in [-1, 2) (0 and negative included), output scale of either size. */
function leakyRelu(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r);
  const x = b.activation("x", s, r.scale(0.005, 0.5), r.zeroPoint());
  const out = b.activation("out", s, r.scale(0.005, 0.5), r.zeroPoint());
  const alpha = Math.fround(r.pick([0.1, 0.2, 0.01, 0, -0.5, 1.5, r.next() * 3 - 1]));
  return b.graph(`leaky_relu${i}`, { kind: "LEAKY_RELU", inputs: [x], outputs: [out], options: { alpha } }, x, out);
}

/** PRELU: a constant alpha per channel ([C] or [1, 1, C]), per element, or scalar, with its own quantization. */
function prelu(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const c = s[s.length - 1]!;
  const alphaShape = r.pick([[c], s.length >= 3 ? [1, 1, c] : [c], [...s], [1]]);
  const count = alphaShape.reduce((a, v) => a * v, 1);
  const x = b.activation("x", s, r.scale(0.005, 0.5), r.zeroPoint());
  const alpha = b.add("alpha", alphaShape, "int8", { scale: [r.scale(0.001, 0.05)], zeroPoint: [r.zeroPoint()], axis: 0 }, new Uint8Array(r.int8s(count).buffer));
  const out = b.activation("out", s, r.scale(0.005, 0.5), r.zeroPoint());
  return b.graph(`prelu${i}`, { kind: "PRELU", inputs: [x, alpha], outputs: [out], options: {} }, x, out);
}

/** PAD, or PADV2 with a constant pad value of the input's quantization (the zero point sometimes). */
function pad(kind: "PAD" | "PADV2") {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const s = shape(r);
    const pads = Int32Array.from(s.flatMap(() => [r.int(0, 2), r.int(0, 2)]));
    const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
    const x = b.activation("x", s, scale, zp);
    const p = b.add("paddings", [s.length, 2], "int32", undefined, new Uint8Array(pads.buffer));
    const value = kind === "PADV2" ? [b.add("value", [], "int8", { scale: [scale], zeroPoint: [zp], axis: 0 }, new Uint8Array(Int8Array.of(r.next() < 0.3 ? zp : r.int(-128, 127)).buffer))] : [];
    const out = b.activation("out", s.map((d, k) => d + pads[2 * k]! + pads[2 * k + 1]!), scale, zp);
    return b.graph(`${kind === "PAD" ? "pad" : "padv2_"}${i}`, { kind, inputs: [x, p, ...value], outputs: [out], options: {} }, x, out);
  };
}

/** TRANSPOSE: ranks 1 to 6, any permutation, NCHW ↔ NHWC often. */
function transpose(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 6).map((d) => Math.min(d, 4));
  const perm = s.length === 4 && r.next() < 0.3 ? r.pick([[0, 2, 3, 1], [0, 3, 1, 2]]) : s.map((_, k) => k).sort(() => r.next() - 0.5);
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const p = b.add("perm", [s.length], "int32", undefined, new Uint8Array(Int32Array.from(perm).buffer));
  const out = b.activation("out", perm.map((k) => s[k]!), scale, zp);
  return b.graph(`transpose${i}`, { kind: "TRANSPOSE", inputs: [x, p], outputs: [out], options: {} }, x, out);
}

/** STRIDED_SLICE on int8 data: ranks 1 to 5, negative indices and strides, begin/end/shrink masks, offset. */
function stridedSlice(r: Random, i: number): Graph | undefined {
  const b = new GraphBuilder();
  const s = shape(r, 1, 5);
  const rank = s.length;
  const begin = s.map((d) => r.int(-d - 1, d + 1)), end = s.map((d) => r.int(-d - 1, d + 1));
  const strides = s.map(() => r.pick([1, 1, 2, 3, -1, -2]));
  const o = { beginMask: r.int(0, (1 << rank) - 1), endMask: r.int(0, (1 << rank) - 1), ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: r.next() < 0.3 ? r.int(0, (1 << rank) - 1) : 0, offset: r.next() < 0.2 };
  const { starts, stops } = sliceRanges(s, begin, end, strides, o);
  const outShape = s.flatMap((_, a) => ((o.shrinkAxisMask >> a) & 1 ? [] : [Math.max(0, Math.ceil((stops[a]! - starts[a]!) / strides[a]!))]));
  const sizes = s.map((_, a) => Math.ceil((stops[a]! - starts[a]!) / strides[a]!));
  if (sizes.some((n) => n < 1)) return undefined;
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const vec = (name: string, v: number[]) => b.add(name, [rank], "int32", undefined, new Uint8Array(Int32Array.from(v).buffer));
  const out = b.activation("out", outShape, scale, zp);
  return b.graph(`slice${i}`, { kind: "STRIDED_SLICE", inputs: [x, vec("begin", begin), vec("end", end), vec("strides", strides)], outputs: [out], options: o }, x, out);
}

/** PACK: 1 to 4 int8 inputs (the graph input and constants) stacked along any axis. */
function pack(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const n = r.int(1, 4), axis = r.int(-s.length - 1, s.length);
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const count = s.reduce((a, v) => a * v, 1);
  const others = Array.from({ length: n - 1 }, (_, k) => b.add(`c${k}`, s, "int8", { scale: [scale], zeroPoint: [zp], axis: 0 }, new Uint8Array(r.int8s(count).buffer)));
  const at = axis < 0 ? axis + s.length + 1 : axis;
  const out = b.activation("out", [...s.slice(0, at), n, ...s.slice(at)], scale, zp);
  return b.graph(`pack${i}`, { kind: "PACK", inputs: [x, ...others].sort(() => r.next() - 0.5), outputs: [out], options: { valuesCount: n, axis } }, x, out);
}

function spaceToDepth(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const block = r.int(2, 3), n = r.pick([1, 2]), h = block * r.int(1, 4), w = block * r.int(1, 4), c = r.int(1, 5);
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", [n, h, w, c], scale, zp);
  const out = b.activation("out", [n, h / block, w / block, c * block * block], scale, zp);
  return b.graph(`s2d${i}`, { kind: "SPACE_TO_DEPTH", inputs: [x], outputs: [out], options: { blockSize: block } }, x, out);
}

/** QUANTIZE from a float32 input, or DEQUANTIZE to a float32 output. */
export function floatInterface(kind: "QUANTIZE" | "DEQUANTIZE") {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const s = shape(r);
    const q = b.activation(kind === "QUANTIZE" ? "out" : "x", s, r.scale(0.001, 0.5), r.zeroPoint());
    const f = b.add(kind === "QUANTIZE" ? "x" : "out", s, "float32");
    return kind === "QUANTIZE"
      ? b.graph(`quantize_f${i}`, { kind, inputs: [f], outputs: [q], options: {} }, f, q)
      : b.graph(`dequantize${i}`, { kind, inputs: [q], outputs: [f], options: {} }, q, f);
  };
}

/**
 * QUANTIZE at a uint8 edge: a uint8 model input to int8, or int8 to a uint8
 * model output; mostly the same scale with zero points 128 apart (what
 * converters emit: TFLite's x ^ 0x80 fast path), otherwise any two scales.
 */
export function uint8Interface(direction: "from" | "to") {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const s = shape(r);
    const scale = r.scale(0.001, 0.5), uZp = r.pick([0, 255, 128, r.int(0, 255)]);
    const same = r.next() < 0.6;
    const u = b.add(direction === "from" ? "x" : "out", s, "uint8", { scale: [scale], zeroPoint: [uZp], axis: 0 });
    const q = same ? b.activation(direction === "from" ? "out" : "x", s, scale, uZp - 128) : b.activation(direction === "from" ? "out" : "x", s, r.scale(0.001, 0.5), r.zeroPoint());
    return direction === "from"
      ? b.graph(`quantize_u8_${i}`, { kind: "QUANTIZE", inputs: [u], outputs: [q], options: {} }, u, q)
      : b.graph(`quantize_to_u8_${i}`, { kind: "QUANTIZE", inputs: [q], outputs: [u], options: {} }, q, u);
  };
}

/** LOG_SOFTMAX along the last dimension (depth 1 included), input scales across the kernel's range. */
function logSoftmax(r: Random, i: number): Graph | undefined {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  if (r.next() < 0.3) s[s.length - 1] = r.int(6, 40);
  const x = b.activation("x", s, r.scale(0.002, 1), r.zeroPoint());
  const out = b.activation("out", s, 16 / 256, 127);
  const g = b.graph(`log_softmax${i}`, { kind: "LOG_SOFTMAX", inputs: [x], outputs: [out], options: {} }, x, out);
  return prepares(g) ? g : undefined;
}

const int32Vector = (b: GraphBuilder, name: string, v: readonly number[], shape = [v.length]) => b.add(name, shape, "int32", undefined, new Uint8Array(Int32Array.from(v).buffer));

/** SLICE: ranks 1 to 5, begin anywhere, size to a random end or -1 (to the end). */
function slice(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 5);
  const begin = s.map((d) => r.int(0, d - 1));
  const size = s.map((d, a) => (r.next() < 0.25 ? -1 : r.int(1, d - begin[a]!)));
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const out = b.activation("out", s.map((d, a) => (size[a] === -1 ? d - begin[a]! : size[a]!)), scale, zp);
  return b.graph(`slice_op${i}`, { kind: "SLICE", inputs: [x, int32Vector(b, "begin", begin), int32Vector(b, "size", size)], outputs: [out], options: {} }, x, out);
}

/** SQUEEZE (listed or all unit dimensions) and EXPAND_DIMS (any axis, negative too): views of the input. */
function squeeze(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4).map((d) => (r.next() < 0.4 ? 1 : d));
  if (!s.includes(1)) s.splice(r.int(0, s.length), 0, 1);
  const ones = s.flatMap((d, a) => (d === 1 ? [a] : []));
  const dims = r.next() < 0.3 ? [] : ones.filter(() => r.next() < 0.6).map((a) => (r.next() < 0.3 ? a - s.length : a));
  const dropped = new Set(dims.map((a) => (a < 0 ? a + s.length : a)));
  const outShape = s.filter((d, a) => (dims.length === 0 ? d !== 1 : !dropped.has(a)));
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const out = b.activation("out", outShape.length ? outShape : [], scale, zp);
  return b.graph(`squeeze${i}`, { kind: "SQUEEZE", inputs: [x], outputs: [out], options: { squeezeDims: dims } }, x, out);
}

function expandDims(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const axis = r.int(-s.length - 1, s.length);
  const at = axis < 0 ? axis + s.length + 1 : axis;
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const out = b.activation("out", [...s.slice(0, at), 1, ...s.slice(at)], scale, zp);
  return b.graph(`expand_dims${i}`, { kind: "EXPAND_DIMS", inputs: [x, int32Vector(b, "axis", [axis], [])], outputs: [out], options: {} }, x, out);
}

/** SPLIT, SPLIT_V (a −1 size sometimes) and UNPACK along any axis (negative too): 1 to 4 outputs. */
function split(kind: "SPLIT" | "SPLIT_V" | "UNPACK") {
  return (r: Random, i: number): Graph => {
    const b = new GraphBuilder();
    const s = shape(r, 1, 4);
    const axis = r.int(0, s.length - 1), written = r.next() < 0.3 ? axis - s.length : axis;
    const n = kind === "UNPACK" ? s[axis]! : r.int(1, 4);
    if (kind === "SPLIT") s[axis] = n * r.int(1, 3);
    const sizes = kind === "SPLIT" ? Array<number>(n).fill(s[axis]! / n) : kind === "UNPACK" ? Array<number>(n).fill(1) : Array.from({ length: n }, () => r.int(1, 3));
    if (kind === "SPLIT_V") s[axis] = sizes.reduce((a, v) => a + v, 0);
    const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
    const x = b.activation("x", s, scale, zp);
    const outs = sizes.map((size, k) => b.activation(`out${k}`, kind === "UNPACK" ? s.filter((_, a) => a !== axis) : s.map((d, a) => (a === axis ? size : d)), scale, zp));
    const written_sizes = kind === "SPLIT_V" && r.next() < 0.4 ? sizes.map((v, k) => (k === n - 1 ? -1 : v)) : sizes;
    const node = kind === "SPLIT" ? { kind, inputs: [int32Vector(b, "axis", [written], []), x], outputs: outs, options: { numSplits: n } }
      : kind === "SPLIT_V" ? { kind, inputs: [x, int32Vector(b, "size_splits", written_sizes), int32Vector(b, "axis", [written], [])], outputs: outs, options: { numSplits: n } }
      : { kind, inputs: [x], outputs: outs, options: { num: n, axis: written } };
    return b.graph(`${kind.toLowerCase()}${i}`, node as never, x, outs);
  };
}

/** GATHER along any axis with constant indices (repeats, any order, 0-D to 2-D index shapes). */
function gather(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const axis = r.int(0, s.length - 1);
  const indexShape = r.pick([[], [r.int(1, 4)], [r.int(1, 2), r.int(1, 3)]]);
  const indices = Array.from({ length: indexShape.reduce((a, v) => a * v, 1) }, () => r.int(0, s[axis]! - 1));
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const out = b.activation("out", [...s.slice(0, axis), ...indexShape, ...s.slice(axis + 1)], scale, zp);
  const node = { kind: "GATHER" as const, inputs: [x, int32Vector(b, "indices", indices, indexShape)], outputs: [out], options: { axis: r.next() < 0.3 ? axis - s.length : axis, batchDims: 0 } };
  return b.graph(`gather${i}`, node, x, out);
}

/** TILE: ranks 1 to 4, one or two axes repeated (what a 6-D strided copy covers), multiples 1 to 3. */
function tile(r: Random, i: number): Graph {
  const b = new GraphBuilder();
  const s = shape(r, 1, 4);
  const multiples = s.map(() => 1);
  for (let k = r.int(1, Math.min(2, s.length)); k > 0; k--) multiples[r.int(0, s.length - 1)] = r.int(1, 3);
  const scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const x = b.activation("x", s, scale, zp);
  const out = b.activation("out", s.map((d, a) => d * multiples[a]!), scale, zp);
  return b.graph(`tile${i}`, { kind: "TILE", inputs: [x, int32Vector(b, "multiples", multiples)], outputs: [out], options: {} }, x, out);
}

export const ELEMENTWISE_GENERATORS: Record<string, Generator> = {
  ADD: binary("ADD"), MUL: binary("MUL"), MAX_POOL_2D: pool("MAX_POOL_2D", "maxpool", ["x", "out"]), CONCATENATION: concat, MEAN: mean, PAD: pad("PAD"),
  SPACE_TO_DEPTH: spaceToDepth, HARD_SWISH: unary("HARD_SWISH"), LOGISTIC: unary("LOGISTIC"), RELU: unary("RELU"),
  RELU6: unary("RELU6"), QUANTIZE: unary("QUANTIZE"),
  QUANTIZE_FROM_FLOAT: floatInterface("QUANTIZE"), DEQUANTIZE: floatInterface("DEQUANTIZE"),
  QUANTIZE_FROM_UINT8: uint8Interface("from"), QUANTIZE_TO_UINT8: uint8Interface("to"), TRANSPOSE: transpose,
  STRIDED_SLICE: stridedSlice, PACK: pack, MAXIMUM: maxMin("MAXIMUM"), MINIMUM: maxMin("MINIMUM"), REDUCE_MAX: reduceMax,
  RESIZE_NEAREST_NEIGHBOR: resizeNearest, LEAKY_RELU: leakyRelu, PRELU: prelu, RESIZE_BILINEAR: resizeBilinear,
  SUB: binary("SUB"), TANH: unary("TANH"), LOG_SOFTMAX: logSoftmax, SLICE: slice, SQUEEZE: squeeze, EXPAND_DIMS: expandDims,
  SPLIT: split("SPLIT"), SPLIT_V: split("SPLIT_V"), UNPACK: split("UNPACK"), PADV2: pad("PADV2"), GATHER: gather, TILE: tile,
};


/**
 * A chain of two to four window ops on one image (batch 1): convolutions
 * (widening to as many as 24 channels, so that the middle tensors are the
 * large ones, as in an inverted bottleneck), depthwise convolutions and pools,
 * with random windows, strides, dilations and paddings.
 */
export function windowChain(r: Random, index: number): Graph | undefined {
  const b = new GraphBuilder();
  let h = r.int(3, 20), w = r.int(3, 14), c = r.int(1, 6);
  let scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const input = b.activation("input", [1, h, w, c], scale, zp);
  let x = input;
  const nodes: Omit<Node, "index">[] = [];
  const length = r.int(2, 4);
  for (let k = 0; k < length; k++) {
    const kind = r.pick(["CONV_2D", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D"] as const);
    const kH = r.pick([1, 2, 3, 3, 5]), kW = r.pick([1, 3]), stride = r.pick([1, 1, 2]), strideW = r.pick([stride, 1]);
    const dil = kind.endsWith("POOL_2D") ? 1 : r.pick([1, 1, 1, 2]);
    const padding: Padding = r.pick(["SAME", "SAME", "VALID"]);
    const p = computePadding(padding, h, w, kH, kW, stride, strideW, dil, dil);
    if (p.outH < 1 || p.outW < 1) return undefined;
    if (kind === "AVERAGE_POOL_2D" || kind === "MAX_POOL_2D") {
      const out = b.activation(`pool${k}`, [1, p.outH, p.outW, c], scale, zp);
      nodes.push({ kind, inputs: [x], outputs: [out], options: { padding, strideH: stride, strideW, filterH: kH, filterW: kW, activation: "NONE" } } as Omit<Node, "index">);
      x = out;
    } else {
      const depthwise = kind === "DEPTHWISE_CONV_2D";
      const outC = depthwise ? c : r.int(1, 24);
      const wScales = Array.from({ length: outC }, () => r.scale(0.001, 0.05));
      const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, c];
      const filter = b.int8Const(`filter${k}`, filterShape, r.int8s(filterShape.reduce((a, v) => a * v, 1)), wScales, depthwise ? 3 : 0);
      const bias = b.int32Const(`bias${k}`, r.int32s(outC, 1 << 12), scale * wScales[0]!);
      const outScale = outScaleFor(r, scale * Math.max(...wScales)), outZp = r.zeroPoint();
      const out = b.activation(`${depthwise ? "dw" : "conv"}${k}`, [1, p.outH, p.outW, outC], outScale, outZp);
      const options = { padding, strideH: stride, strideW, dilationH: dil, dilationW: dil, activation: r.pick(ACTIVATIONS) };
      nodes.push({ kind, inputs: [x, filter, bias], outputs: [out], options: depthwise ? { ...options, depthMultiplier: 1 } : options } as Omit<Node, "index">);
      x = out;
      c = outC;
      scale = outScale;
      zp = outZp;
    }
    h = p.outH;
    w = p.outW;
  }
  return legalize({
    name: `chain${index}`, source: `chain${index} (generated)`, sha256: "0".repeat(64), tensors: b.tensors,
    nodes: nodes.map((n, i) => ({ ...n, index: i }) as Node), inputs: [input], outputs: [x],
  });
}

/**
 * An isometric-style network piece on one image (batch 1): optionally a
 * SPACE_TO_DEPTH stem and a convolution, then one or two inverted
 * bottlenecks (1x1 expansion, depthwise window, 1x1 projection, and an ADD
 * joining the block's input, in either input order), with random sizes,
 * expansions, windows, paddings and quantization.
 */
export function invertedBottleneck(r: Random, index: number): Graph | undefined {
  const b = new GraphBuilder();
  let h = r.int(2, 12) * 2, w = r.int(2, 9) * 2, c = r.int(1, 6);
  let scale = r.scale(0.01, 0.2), zp = r.zeroPoint();
  const input = b.activation("input", [1, h, w, c], scale, zp);
  let x = input;
  const nodes: Omit<Node, "index">[] = [];
  const conv = (name: string, kind: "CONV_2D" | "DEPTHWISE_CONV_2D", outC: number, kH: number, kW: number, padding: Padding, stride = 1) => {
    const depthwise = kind === "DEPTHWISE_CONV_2D";
    const p = computePadding(padding, h, w, kH, kW, stride, stride, 1, 1);
    const base = r.scale(0.001, 0.05), wScales = Array.from({ length: outC }, () => base * (1 + r.next()));
    const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, c];
    const filter = b.int8Const(`${name}_filter`, filterShape, r.int8s(filterShape.reduce((a, v) => a * v, 1)), wScales, depthwise ? 3 : 0);
    const bias = b.int32Const(`${name}_bias`, r.int32s(outC, 1 << 12), scale * wScales[0]!);
    // About the accumulator's spread over the window (sqrt(taps) products of int8s), so outputs vary rather than saturate.
    const taps = kH * kW * (depthwise ? 1 : c);
    const outScale = Math.fround(scale * Math.max(...wScales) * Math.sqrt(taps) * 24 * 2 ** (r.next() * 2 - 1)), outZp = r.int(-20, 20);
    const out = b.activation(name, [1, p.outH, p.outW, outC], outScale, outZp);
    // RELU6 and RELU_N1_TO_1 clamp to a fixed real range, which these growing scales would collapse to one byte.
    const options = { padding, strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, activation: r.pick(["NONE", "RELU"] as const) };
    nodes.push({ kind, inputs: [x, filter, bias], outputs: [out], options: depthwise ? { ...options, depthMultiplier: 1 } : options } as Omit<Node, "index">);
    [x, c, scale, zp, h, w] = [out, outC, outScale, outZp, p.outH, p.outW];
  };
  if (r.next() < 0.5) {
    const block = 2;
    const out = b.activation("stem_s2d", [1, h / block, w / block, c * block * block], scale, zp);
    nodes.push({ kind: "SPACE_TO_DEPTH", inputs: [x], outputs: [out], options: { blockSize: block } } as Omit<Node, "index">);
    [x, h, w, c] = [out, h / block, w / block, c * block * block];
    conv("stem_conv", "CONV_2D", r.int(2, 8), r.pick([1, 3]), r.pick([1, 3]), "SAME");
  }
  const blocks = r.int(1, 2);
  for (let k = 0; k < blocks; k++) {
    const blockInput = x, inScale = scale, width = c;
    conv(`block${k}_expand`, "CONV_2D", width * r.int(2, 6), 1, 1, "SAME");
    const kH = r.pick([3, 3, 5]);
    conv(`block${k}_dw`, "DEPTHWISE_CONV_2D", c, kH, r.pick([kH, 3]), "SAME");
    conv(`block${k}_project`, "CONV_2D", width, 1, 1, "SAME");
    const outScale = Math.fround(Math.max(inScale, scale) * 2 ** (r.next() * 2 - 1)), outZp = r.int(-20, 20);
    const out = b.activation(`block${k}_add`, [1, h, w, width], outScale, outZp);
    const inputs = r.next() < 0.5 ? [blockInput, x] : [x, blockInput];
    nodes.push({ kind: "ADD", inputs, outputs: [out], options: { activation: r.pick(["NONE", "RELU"] as const) } } as Omit<Node, "index">);
    [x, scale, zp] = [out, outScale, outZp];
  }
  return legalize({
    name: `bottleneck${index}`, source: `bottleneck${index} (generated)`, sha256: "0".repeat(64), tensors: b.tensors,
    nodes: nodes.map((n, i) => ({ ...n, index: i }) as Node), inputs: [input], outputs: [x],
  });
}

export interface DspKernel {
  readonly gen: (r: Random, i: number) => Graph | undefined;
  readonly call: RegExp;
  readonly native: number;
  /** Share of cases that must have a channel with a constant output (code 0 in the shift table). */
  readonly constant?: number;
  /** Entry points (tinyc_dsp.h) each of which at least 5 % of the cases must call: every requantization variant is tested. */
  readonly variants?: readonly string[];
  /** Some cases take the matrix kernel's smaller blocks (of four and of one pixel). */
  readonly smallBlocks?: boolean;
}

const CONV_VARIANTS = ["tinyc_dsp_conv2d_s8", "tinyc_dsp_conv2d_fast_s8", "tinyc_dsp_conv2d_fast_clamp_s8"];
const PAIR_VARIANTS = ["tinyc_dsp_conv2d_pairs_s8", "tinyc_dsp_conv2d_pairs_clamp_s8", "tinyc_dsp_conv2d_pairs_relu_s8", "tinyc_dsp_conv2d_pairs_relu_clamp_s8"];
const DEPTHWISE3X3_VARIANTS = ["tinyc_dsp_depthwise3x3_s8", "tinyc_dsp_depthwise3x3_fast_s8", "tinyc_dsp_depthwise3x3_fast_clamp_s8"];

/** The dsp family's kernel shapes: each one's generator, the call its cases must make, and what they must cover (dsp-kernels tests). */
export const DSP_KERNELS: Record<string, DspKernel> = {
  "CONV_2D, any window": { gen: (r, i) => convLike(r, false, i), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95 },
  "CONV_2D, 5x5 windows over up to 40 channels (smaller pixel blocks)": { gen: (r, i) => convLike(r, false, i, { window: [5, 5], maxChannels: 40 }), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95, smallBlocks: true },
  "CONV_2D, 1x1 and 3x3 over up to 24 channels": { gen: (r, i) => convLike(r, false, i, { window: r.pick([[1, 1], [3, 3]] as const), maxChannels: 24 }), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95, variants: PAIR_VARIANTS },
  // Few input channels (stems): windows rows of 1 to 11 bytes, packed into pair words without padding.
  "CONV_2D over 1 to 3 channels": { gen: (r, i) => convLike(r, false, i, { window: r.pick([[3, 3], [3, 1], [2, 3], [5, 5]] as const), maxChannels: 3, scaleLog2: [[-14, -1]] }), call: /tinyc_dsp_conv2d_pairs\w*_s8\(/, native: 0.9 },
  // Right shifts past the pair kernel's (large windows keep some outputs off the clamp) and left shifts: the matrix kernel.
  "CONV_2D beyond the pair kernel's shifts": {
    gen: (r, i) => convLike(r, false, i, { window: [3, 3], maxChannels: 40, scaleLog2: [[-22.5, -17.2], [-22.5, -17.2], [-22.5, -17.2], [0, 2]] }), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95, variants: CONV_VARIANTS,
  },
  "CONV_2D with dead channels": { gen: (r, i) => convLike(r, false, i, { deadChannels: true }), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95, constant: 0.5 },
  "DEPTHWISE_CONV_2D 3x3": { gen: (r, i) => convLike(r, true, i, { window: [3, 3], maxChannels: 13, depthMultiplier: 1 }), call: /tinyc_dsp_(depthwise\w*|conv2d\w*)_s8\(/, native: 0.95, variants: DEPTHWISE3X3_VARIANTS },
  "DEPTHWISE_CONV_2D of one input channel (the matrix kernel)": { gen: (r, i) => convLike(r, true, i, { maxChannels: 1 }), call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95 },
  "DEPTHWISE_CONV_2D, any window": { gen: (r, i) => convLike(r, true, i, { depthMultiplier: 1 }), call: /tinyc_dsp_(depthwise\w*|conv2d\w*)_s8\(/, native: 0.95 },
  // The matrix kernel with each batch row one pixel: depths of 1 to 40, per-tensor and per-channel weights.
  FULLY_CONNECTED: { gen: CONV_GENERATORS.FULLY_CONNECTED!, call: /tinyc_dsp_conv2d\w*_s8\(/, native: 0.95 },
  // Broadcasting shapes (per-channel vectors as in squeeze-excite, scalars), output multipliers that shift left and right.
  ADD: { gen: binary("ADD"), call: /tinyc_dsp_add_s8\(/, native: 0.95 },
  SUB: { gen: binary("SUB"), call: /tinyc_dsp_sub_s8\(/, native: 0.95 },
  MUL: { gen: binary("MUL"), call: /tinyc_dsp_mul_s8\(/, native: 0.95 },
  // Windows up to 16 x 16 (the kernel's limit: 256 cells), clipped at the edges; channel counts that are not multiples of 4.
  AVERAGE_POOL_2D: {
    gen: pool("AVERAGE_POOL_2D", "avgpool", ["input", "output"], { maxK: 16, maxSide: 20, maxChannels: 13 }), call: /tinyc_dsp_avgpool2d\w*_s8\(/, native: 0.95,
    variants: ["tinyc_dsp_avgpool2d_s8", "tinyc_dsp_avgpool2d_clamp_s8"],
  },
  // Functions of one input: a table the compiler fills from the reference.
  ...Object.fromEntries(["HARD_SWISH", "LOGISTIC", "TANH", "LEAKY_RELU"].map((k) => [k, { gen: ELEMENTWISE_GENERATORS[k]!, call: /tinyc_dsp_lookup_s8\(/, native: 0.95 }])),
};

// Models and case sets shared by a test file and its emulator half (*.emu.test.ts).

// concat-slices: concatenations whose inputs their producers can write straight into their slices.
const CONCAT_Q = { scale: 0.05, zp: 3 };
type ConcatOp = Omit<Node, "index">;

function concatGraph(name: string, make: (b: GraphBuilder, r: Random, x: number) => { ops: ConcatOp[]; out: number }, seed: number): Graph {
  const b = new GraphBuilder(), r = new Random(seed);
  const x = b.activation("x", [1, 6, 6, 3], CONCAT_Q.scale, CONCAT_Q.zp);
  const { ops, out } = make(b, r, x);
  return legalize({ name, source: `${name} (generated)`, sha256: "0".repeat(64), tensors: b.tensors, nodes: ops.map((n, index) => ({ ...n, index }) as Node), inputs: [x], outputs: [out] });
}

function concatConv(b: GraphBuilder, r: Random, name: string, input: number, inC: number, outShape: number[], kH = 1, kW = 1): [number, ConcatOp] {
  const outC = outShape[3]!;
  const f = b.int8Const(`${name}_w`, [outC, kH, kW, inC], r.int8s(outC * kH * kW * inC), Array(outC).fill(0.01), 0);
  const out = b.activation(name, outShape, CONCAT_Q.scale, CONCAT_Q.zp);
  return [out, { kind: "CONV_2D", inputs: [input, f], outputs: [out], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } } as ConcatOp];
}

/** x → conv 1x1 (5 ch), depthwise 3x3 (3 ch), max pool 3x3 (3 ch) → concatenation of the channels (11) → conv 1x1 (4). */
export const concatChannels = (seed: number, extraReader = false) => concatGraph(`concat_channels_${seed}${extraReader ? "_shared" : ""}`, (b, r, x) => {
  const [c1, op1] = concatConv(b, r, "c1", x, 3, [1, 6, 6, 5]);
  const dwf = b.int8Const("dw_w", [1, 3, 3, 3], r.int8s(27), [0.02, 0.02, 0.02], 3);
  const d = b.activation("d", [1, 6, 6, 3], CONCAT_Q.scale, CONCAT_Q.zp);
  const dw = { kind: "DEPTHWISE_CONV_2D", inputs: [x, dwf], outputs: [d], options: { padding: "SAME", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "RELU", depthMultiplier: 1 } } as ConcatOp;
  const m = b.activation("m", [1, 6, 6, 3], CONCAT_Q.scale, CONCAT_Q.zp);
  const pool = { kind: "MAX_POOL_2D", inputs: [x], outputs: [m], options: { padding: "SAME", strideH: 1, strideW: 1, filterH: 3, filterW: 3, activation: "NONE" } } as ConcatOp;
  const cat = b.activation("cat", [1, 6, 6, 11], CONCAT_Q.scale, CONCAT_Q.zp);
  const concat = { kind: "CONCATENATION", inputs: [c1, d, m], outputs: [cat], options: { axis: 3, activation: "NONE" } } as ConcatOp;
  const [y, head] = concatConv(b, r, "y", cat, 11, [1, 6, 6, 4]);
  if (!extraReader) return { ops: [op1, dw, pool, concat, head], out: y };
  // The depthwise output is also read by an ADD: that input cannot be a slice, so the concatenation copies.
  const s = b.activation("s", [1, 6, 6, 4], CONCAT_Q.scale, CONCAT_Q.zp);
  const [e, extra] = concatConv(b, r, "e", d, 3, [1, 6, 6, 4]);
  const add = { kind: "ADD", inputs: [y, e], outputs: [s], options: { activation: "NONE" } } as ConcatOp;
  return { ops: [op1, dw, pool, concat, head, extra, add], out: s };
}, seed);

/** x → conv 5x1 VALID (2 rows), conv 3x1 VALID (4 rows) → concatenation along the height (6 rows) → conv 1x1. */
export const concatRows = (seed: number) => concatGraph(`concat_rows_${seed}`, (b, r, x) => {
  const [a, opA] = concatConv(b, r, "a", x, 3, [1, 2, 6, 3], 5, 1);
  const [c, opC] = concatConv(b, r, "c", x, 3, [1, 4, 6, 3], 3, 1);
  const cat = b.activation("cat", [1, 6, 6, 3], CONCAT_Q.scale, CONCAT_Q.zp);
  const concat = { kind: "CONCATENATION", inputs: [a, c], outputs: [cat], options: { axis: 1, activation: "NONE" } } as ConcatOp;
  const [y, head] = concatConv(b, r, "y", cat, 3, [1, 6, 6, 2]);
  return { ops: [opA, opC, concat, head], out: y };
}, seed);

// fold-pad: PADs in front of convolutions.
export type Pads = readonly [number, number, number, number]; // top, bottom, left, right
export type NodeSpec = Omit<Node, "index">;

export const padConvOptions = (padding: Padding, stride: number) => ({ padding, strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, activation: "RELU6" }) as const;

/** PAD of an NHWC tensor: [[0,0],[top,bottom],[left,right],[0,0]] (or `channels` on the channel axis). */
export function padNode(b: GraphBuilder, input: number, output: number, p: Pads, channels: [number, number] = [0, 0]): NodeSpec {
  const pads = Int32Array.from([0, 0, p[0], p[1], p[2], p[3], ...channels]);
  const id = b.add(`paddings${b.tensors.length}`, [4, 2], "int32", undefined, new Uint8Array(pads.buffer));
  return { kind: "PAD", inputs: [input, id], outputs: [output], options: {} } as NodeSpec;
}

export function finishGraph(b: GraphBuilder, name: string, specs: NodeSpec[], input: number, outputs: number[]): Graph {
  const nodes = specs.map((n, index) => ({ ...n, index }) as Node);
  return legalize({ name, source: `${name} (generated)`, sha256: "0".repeat(64), tensors: b.tensors, nodes, inputs: [input], outputs });
}

/**
 * 16x16x8 → [PAD (0,1)/(0,1)] → depthwise 3x3 stride 2 → 1x1 conv → [PAD (1,1)/(1,1)] → 3x3 conv.
 * `explicitPads` writes the PADs with VALID convolutions; otherwise the same weights with SAME padding.
 */
export function padNetwork(explicitPads: boolean, seed = 7): Graph {
  const r = new Random(seed);
  const b = new GraphBuilder();
  const zp = -3, s = 0.05;
  const x = b.activation("x", [1, 16, 16, 8], s, zp);
  const specs: NodeSpec[] = [];
  let cur = x;
  const maybePad = (h: number, c: number, p: Pads) => {
    if (!explicitPads) return;
    const out = b.activation(`padded${specs.length}`, [1, h + p[0] + p[1], h + p[2] + p[3], c], s, zp);
    specs.push(padNode(b, cur, out, p));
    cur = out;
  };
  maybePad(16, 8, [0, 1, 0, 1]);
  const dwW = b.int8Const("dw_w", [1, 3, 3, 8], r.int8s(72), Array(8).fill(0.02), 3);
  const dwOut = b.activation("dw", [1, 8, 8, 8], s, zp);
  specs.push({ kind: "DEPTHWISE_CONV_2D", inputs: [cur, dwW, b.int32Const("dw_b", r.int32s(8, 500), s * 0.02)], outputs: [dwOut], options: { ...padConvOptions(explicitPads ? "VALID" : "SAME", 2), depthMultiplier: 1 } } as NodeSpec);
  const pwW = b.int8Const("pw_w", [16, 1, 1, 8], r.int8s(128), Array(16).fill(0.02), 0);
  const pwOut = b.activation("pw", [1, 8, 8, 16], s, zp);
  specs.push({ kind: "CONV_2D", inputs: [dwOut, pwW, b.int32Const("pw_b", r.int32s(16, 500), s * 0.02)], outputs: [pwOut], options: padConvOptions("VALID", 1) } as NodeSpec);
  cur = pwOut;
  maybePad(8, 16, [1, 1, 1, 1]);
  const cW = b.int8Const("c_w", [4, 3, 3, 16], r.int8s(576), Array(4).fill(0.01), 0);
  const y = b.activation("y", [1, 8, 8, 4], 0.1, 5);
  specs.push({ kind: "CONV_2D", inputs: [cur, cW, b.int32Const("c_b", r.int32s(4, 500), s * 0.01)], outputs: [y], options: padConvOptions(explicitPads ? "VALID" : "SAME", 1) } as NodeSpec);
  return finishGraph(b, explicitPads ? "padded" : "same", specs, x, [y]);
}

/** The .tflite writer's round trip, as a user's converter would hand the model over. */
export const roundTrip = (g: Graph) => readTflite(writeTflite(g), `${g.name}.tflite`);

// schedule: two branches listed so that both wide tensors are alive at once.
const TWO_BRANCH_CONV = { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } as const;

/** x → (1x1 widen → 1x1 narrow) twice, in parallel, concatenated; ops listed widen, widen, narrow, narrow, concat. */
export function twoBranches(r: Random, wide = 32): Graph {
  const b = new GraphBuilder();
  const x = b.activation("x", [1, 8, 8, 4], 0.05, 3);
  // The narrow outputs share the concatenation's quantization (it does not rescale).
  const conv = (name: string, input: number, inC: number, outC: number): [number, Omit<Node, "index">] => {
    const f = b.int8Const(`${name}_w`, [outC, 1, 1, inC], r.int8s(outC * inC), Array(outC).fill(0.01), 0);
    const out = b.activation(name, [1, 8, 8, outC], 0.08, outC === 4 ? 0 : r.int(-20, 20));
    return [out, { kind: "CONV_2D", inputs: [input, f], outputs: [out], options: TWO_BRANCH_CONV } as Omit<Node, "index">];
  };
  const [a1, opA1] = conv("a1", x, 4, wide), [b1, opB1] = conv("b1", x, 4, wide);
  const [a2, opA2] = conv("a2", a1, wide, 4), [b2, opB2] = conv("b2", b1, wide, 4);
  const y = b.activation("y", [1, 8, 8, 8], 0.08, 0);
  const cat = { kind: "CONCATENATION", inputs: [a2, b2], outputs: [y], options: { axis: 3, activation: "NONE" } } as Omit<Node, "index">;
  const nodes = [opA1, opB1, opA2, opB2, cat].map((n, index) => ({ ...n, index }) as Node);
  return legalize({ name: "two_branches", source: "two_branches (generated)", sha256: "0".repeat(64), tensors: b.tensors, nodes, inputs: [x], outputs: [y] });
}

/** a, b → sum = a + b (output 0) and proj = 1x1 conv of a (output 1), through the .tflite writer. */
function twoByTwo(): Graph {
  const r = new Random(4);
  const g = new GraphBuilder();
  const a = g.activation("a", [1, 4, 5, 3], 0.05, -2);
  const b = g.activation("b", [1, 4, 5, 3], 0.07, 9);
  const sum = g.activation("sum", [1, 4, 5, 3], 0.1, 0);
  const w = g.int8Const("w", [2, 1, 1, 3], r.int8s(6), [0.02, 0.03], 0);
  const proj = g.activation("proj", [1, 4, 5, 2], 0.05, 3);
  const nodes = [
    { kind: "ADD", inputs: [a, b], outputs: [sum], options: { activation: "NONE" } },
    { kind: "CONV_2D", inputs: [a, w], outputs: [proj], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } },
  ].map((n, index) => ({ ...n, index }) as Node);
  const graph = legalize({ name: "two_by_two", source: "two_by_two (generated)", sha256: "0".repeat(64), tensors: g.tensors, nodes, inputs: [a, b], outputs: [sum, proj] });
  return readTflite(writeTflite(graph), "two_by_two.tflite");
}

/** twoByTwo compiled, with seeded inputs and the reference's outputs (the interfaces tests). */
export function severalInputs() {
  const g = twoByTwo();
  const c = compile(g);
  const r = new Random(9);
  const a = r.int8s(60), b = r.int8s(60);
  const want = runReference(c.prepared, [a, b]).outputs;
  return { g, c, a, b, want };
}

/** x → SPLIT along the channels into three → ADD(part 0, part 1) and part 2, both model outputs; through the writer. */
function splitModel(): Graph {
  const g = new GraphBuilder();
  const x = g.activation("x", [1, 3, 4, 6], 0.05, -3);
  const axis = g.add("axis", [], "int32", undefined, new Uint8Array(Int32Array.of(3).buffer));
  const parts = [0, 1, 2].map((k) => g.activation(`part${k}`, [1, 3, 4, 2], 0.05, -3));
  const sum = g.activation("sum", [1, 3, 4, 2], 0.1, 4);
  const nodes = [
    { kind: "SPLIT", inputs: [axis, x], outputs: parts, options: { numSplits: 3 } },
    { kind: "ADD", inputs: [parts[0]!, parts[1]!], outputs: [sum], options: { activation: "NONE" } },
  ].map((n, index) => ({ ...n, index }) as Node);
  const graph = legalize({ name: "split3", source: "split3 (generated)", sha256: "0".repeat(64), tensors: g.tensors, nodes, inputs: [x], outputs: [sum, parts[2]!] });
  return readTflite(writeTflite(graph), "split3.tflite");
}

/** splitModel compiled, with a seeded input and the reference's run (the interfaces tests). */
export function severalOutputs() {
  const c = compile(splitModel());
  const x = new Random(11).int8s(72);
  const want = runReference(c.prepared, [x]);
  return { c, x, want };
}

/** --target host: a model over every emulated part's RAM, planned one op at a time (row streaming would fit it in 200 KB). */
export function overEveryPart() {
  const big = buildZoo("isometric", { depth: 2, resolution: 256 });
  const unstreamed = { disable: ["stream"] as const };
  return { big, unstreamed };
}

/** A zoo family's default network, through the .tflite writer into a file of its own (the zoo tests). */
export function zooDefault(name: string): { g: Graph; bytes: Uint8Array; path: string } {
  const g = buildZoo(name);
  const bytes = writeTflite(g);
  const dir = mkdtempSync(join(tmpdir(), "tinyc-zoo-"));
  const path = join(dir, `${g.name}.tflite`);
  writeFileSync(path, bytes);
  return { g, bytes, path };
}

/** Random graphs from `generate`, `count` of them that the planner streams and a tenth as many that it leaves whole. */
export function streamedChains(count: number, seed: number, backend: Backend, generate: (r: Random, i: number) => Graph | undefined = windowChain): HostCase[] {
  const r = new Random(seed);
  const cases: HostCase[] = [], whole: HostCase[] = [];
  for (let i = 0; cases.length < count && i < 50 * count; i++) {
    const graph = generate(r, i);
    if (!graph) continue;
    const k: HostCase = { graph, input: inputFor(r, graph), backend };
    if (compileStreamed(k).plan.segments.length > 0) cases.push(k);
    else if (whole.length < count / 10) whole.push(k);
  }
  return [...cases, ...whole];
}

/** A case compiled for the Cortex-M4 with row streaming (on by default). */
export function compileStreamed(k: HostCase): CompiledModel {
  return compile(k.graph, { target: "cortex-m4", backend: k.backend });
}

/** Whether the graph's input can stream (else compile refuses it with TC123). */
export function streams(graph: Graph, backend: Backend): boolean {
  try {
    compile(graph, { backend, streamInput: true });
    return true;
  } catch (e) {
    if (e instanceof TinycError && e.code === "TC123") return false;
    throw e;
  }
}

/** Random window chains with their input streamed (--stream-input), those whose input can stream. */
export function streamInputCases(backend: Backend): HostCase[] {
  const r = new Random(77);
  const all: HostCase[] = [];
  for (let i = 0; all.length < 120 && i < 2000; i++) {
    const graph = windowChain(r, i);
    if (graph) all.push({ graph, input: inputFor(r, graph), backend, streamInput: true });
  }
  return all.filter((k) => streams(k.graph, backend));
}
