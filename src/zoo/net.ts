/**
 * NetBuilder: the zoo's way of writing a network. Each layer is created with
 * He-normal weights, evaluated at once in float32 on the calibration batch
 * (inputs from seeds 1-8), and, for convolutions, given a batch norm whose
 * statistics come from that batch and which is folded into the weights and bias.
 * build() then quantizes: weights per output channel (scale max|w|/127,
 * symmetric), biases to int32 at input scale x weight scale, activations from
 * their calibrated float range (asymmetric int8), with the fixed or shared
 * scales TFLite's int8 kernels require.
 */
import type { Activation, Graph, Node, Quantization, Tensor } from "../compiler/ir.js";
import { prepare } from "../compiler/passes/prepare.js";
import { runReference } from "../compiler/reference.js";
import { xorshiftInput } from "../inputs.js";
import * as F from "./float.js";
import { size } from "./float.js";
import { Rng } from "./random.js";

/** The dtype of a zoo model's input and output. */
export type ZooInterface = "int8" | "uint8" | "float32";

/** A tensor being built: its IR id, shape (batch 1) and calibration values (batch of seeds). */
export interface Value {
  readonly id: number;
  readonly shape: readonly number[];
  readonly f: F.FloatTensor;
}

type QuantRule = { kind: "calibrated" } | { kind: "fixed"; scale: number; zeroPoint: number } | { kind: "same"; as: number };

interface Pending {
  readonly node: Omit<Node, "index" | "inputs"> & { inputs: (number | ConstRef)[] };
}

/** A constant operand to create at build() time (its quantization depends on the activations'). */
type ConstRef =
  | { kind: "weights"; name: string; shape: number[]; data: Float32Array; axis: number }
  | { kind: "bias"; name: string; data: Float32Array; input: number }
  | { kind: "int32"; name: string; values: number[]; shape: number[] };

export const CALIBRATION_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
export const INPUT_SCALE = 1 / 128;

const ACT: Record<Activation, (v: number) => number> = {
  NONE: (v) => v, RELU: F.relu, RELU6: F.relu6, RELU_N1_TO_1: (v) => Math.min(1, Math.max(-1, v)),
};

export class NetBuilder {
  private readonly names: string[] = [];
  private readonly shapes: (readonly number[])[] = [];
  private readonly ranges: { lo: number; hi: number }[] = [];
  private readonly rules: QuantRule[] = [];
  private readonly layers: Pending[] = [];
  readonly rng: Rng;

  constructor(readonly name: string, seed: number, private readonly calibrate = true, private readonly io: ZooInterface = "int8") {
    this.rng = new Rng(seed * 2654435761);
  }

  private value(name: string, shape: readonly number[], f: F.FloatTensor, rule: QuantRule = { kind: "calibrated" }): Value {
    const id = this.names.length;
    this.names.push(name);
    this.shapes.push(shape);
    let lo = 0, hi = 0;
    for (const v of f.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
    this.ranges.push({ lo, hi });
    this.rules.push(rule);
    return { id, shape, f };
  }

  /** The model input: int8 with scale 1/128 and zero point 0 (real values in [-1, 1)). */
  input(h: number, w: number, c: number): Value {
    const n = h * w * c;
    const seeds = this.calibrate ? CALIBRATION_SEEDS : [1];
    const data = new Float32Array(seeds.length * n);
    seeds.forEach((s, i) => xorshiftInput(s, n).forEach((q, j) => (data[i * n + j] = q * INPUT_SCALE)));
    return this.value("input", [1, h, w, c], { shape: [seeds.length, h, w, c], data }, { kind: "fixed", scale: INPUT_SCALE, zeroPoint: 0 });
  }

  private heNormal(count: number, fanIn: number, gain = Math.SQRT2): Float32Array {
    const std = gain / Math.sqrt(fanIn);
    return Float32Array.from({ length: count }, () => this.rng.normal() * std);
  }

  /** Folds a batch norm with statistics from `pre` (conv output per channel) into weights [C, ...] and bias. */
  private foldBatchNorm(pre: F.FloatTensor, weights: Float32Array, perChannel: number, channelStride: boolean): { bias: Float32Array; scale: Float64Array; shift: Float64Array } {
    const { mean, std } = F.channelStats(pre);
    const c = mean.length;
    const scale = new Float64Array(c), shift = new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      const gamma = this.rng.between(0.6, 1.4);
      const beta = 0.3 * this.rng.normal();
      scale[ch] = gamma / std[ch]!;
      shift[ch] = beta - mean[ch]! * scale[ch]!;
    }
    for (let i = 0; i < weights.length; i++) {
      const ch = channelStride ? i % c : Math.floor(i / perChannel);
      weights[i]! *= scale[ch]!;
    }
    return { bias: Float32Array.from(shift), scale, shift };
  }

  private applyAffine(pre: F.FloatTensor, scale: Float64Array, shift: Float64Array, act: Activation): F.FloatTensor {
    const c = scale.length, f = ACT[act];
    return { shape: pre.shape, data: pre.data.map((v, i) => f(v * scale[i % c]! + shift[i % c]!)) };
  }

  /**
   * Convolution (k x k, SAME) with a fused activation and, unless `batchNorm` is
   * false (squeeze-excite's layers have none), a folded batch norm.
   */
  conv(x: Value, name: string, outC: number, k: number, stride: number, act: Activation, batchNorm = true): Value {
    const inC = x.shape[3]!;
    const w = this.heNormal(outC * k * k * inC, k * k * inC);
    const spec = { k, stride, same: true };
    const pre = F.conv2d(x.f, w, new Float32Array(outC), outC, spec);
    const bn = batchNorm ? this.foldBatchNorm(pre, w, k * k * inC, false) : { bias: new Float32Array(outC), scale: new Float64Array(outC).fill(1), shift: new Float64Array(outC) };
    const out = this.value(name, [1, pre.shape[1]!, pre.shape[2]!, outC], this.applyAffine(pre, bn.scale, bn.shift, act));
    const wRef: ConstRef = { kind: "weights", name: `${name}/weights`, shape: [outC, k, k, inC], data: w, axis: 0 };
    this.layers.push({ node: { kind: "CONV_2D", inputs: [x.id, wRef, { kind: "bias", name: `${name}/bias`, data: bn.bias, input: x.id }], outputs: [out.id], options: { padding: "SAME", strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, activation: act } } });
    return out;
  }

  /** Depthwise convolution (multiplier 1, SAME) with a folded batch norm and a fused activation. */
  depthwise(x: Value, name: string, k: number, stride: number, act: Activation): Value {
    const c = x.shape[3]!;
    const w = this.heNormal(k * k * c, k * k);
    const spec = { k, stride, same: true };
    const pre = F.depthwise(x.f, w, new Float32Array(c), spec);
    const bn = this.foldBatchNorm(pre, w, 1, true);
    const out = this.value(name, [1, pre.shape[1]!, pre.shape[2]!, c], this.applyAffine(pre, bn.scale, bn.shift, act));
    const wRef: ConstRef = { kind: "weights", name: `${name}/weights`, shape: [1, k, k, c], data: w, axis: 3 };
    this.layers.push({ node: { kind: "DEPTHWISE_CONV_2D", inputs: [x.id, wRef, { kind: "bias", name: `${name}/bias`, data: bn.bias, input: x.id }], outputs: [out.id], options: { padding: "SAME", strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, depthMultiplier: 1, activation: act } } });
    return out;
  }

  /** Fully connected on a [1, C] value; `logits` layers get a gentler init and no batch norm. */
  dense(x: Value, name: string, outC: number, act: Activation, logits = false): Value {
    const inC = x.shape[x.shape.length - 1]!;
    const w = this.heNormal(outC * inC, inC, logits ? 1 : Math.SQRT2);
    const xf: F.FloatTensor = { shape: [x.f.shape[0]!, 1, 1, inC], data: x.f.data };
    const pre = F.conv2d(xf, w, new Float32Array(outC), outC, { k: 1, stride: 1, same: true });
    let bias: Float32Array = new Float32Array(outC);
    let out: F.FloatTensor = { shape: [pre.shape[0]!, outC], data: pre.data.map(ACT[act]) };
    if (!logits) {
      const bn = this.foldBatchNorm(pre, w, inC, false);
      bias = bn.bias;
      const affine = this.applyAffine(pre, bn.scale, bn.shift, act);
      out = { shape: [pre.shape[0]!, outC], data: affine.data };
    }
    const v = this.value(name, [1, outC], out);
    const wRef: ConstRef = { kind: "weights", name: `${name}/weights`, shape: [outC, inC], data: w, axis: 0 };
    this.layers.push({ node: { kind: "FULLY_CONNECTED", inputs: [x.id, wRef, { kind: "bias", name: `${name}/bias`, data: bias, input: x.id }], outputs: [v.id], options: { activation: act, keepNumDims: false } } });
    return v;
  }

  add(a: Value, b: Value, name: string): Value {
    const out = this.value(name, a.shape, F.binary(a.f, b.f, (x, y) => x + y));
    this.layers.push({ node: { kind: "ADD", inputs: [a.id, b.id], outputs: [out.id], options: { activation: "NONE" } } });
    return out;
  }

  /** x * gate, the gate broadcast per channel ([1, 1, 1, C]) or of the same shape. */
  mul(x: Value, gate: Value, name: string): Value {
    const out = this.value(name, x.shape, F.binary(x.f, gate.f, (a, b) => a * b));
    this.layers.push({ node: { kind: "MUL", inputs: [x.id, gate.id], outputs: [out.id], options: { activation: "NONE" } } });
    return out;
  }

  hardSwish(x: Value, name: string): Value {
    const out = this.value(name, x.shape, F.map(x.f, F.hardSwish));
    this.layers.push({ node: { kind: "HARD_SWISH", inputs: [x.id], outputs: [out.id], options: {} } });
    return out;
  }

  logistic(x: Value, name: string): Value {
    const out = this.value(name, x.shape, F.map(x.f, F.sigmoid), { kind: "fixed", scale: 1 / 256, zeroPoint: -128 });
    this.layers.push({ node: { kind: "LOGISTIC", inputs: [x.id], outputs: [out.id], options: {} } });
    return out;
  }

  /** Mean over height and width: [1, 1, 1, C] with keepDims, else [1, C]. */
  spatialMean(x: Value, name: string, keepDims: boolean): Value {
    const m = F.spatialMean(x.f);
    const c = x.shape[3]!;
    const out = this.value(name, keepDims ? [1, 1, 1, c] : [1, c], keepDims ? m : { shape: [m.shape[0]!, c], data: m.data });
    const axes: ConstRef = { kind: "int32", name: `${name}/axes`, values: [1, 2], shape: [2] };
    this.layers.push({ node: { kind: "MEAN", inputs: [x.id, axes], outputs: [out.id], options: { keepDims } } });
    return out;
  }

  spaceToDepth(x: Value, name: string, block: number): Value {
    const f = F.spaceToDepth(x.f, block);
    const out = this.value(name, [1, ...f.shape.slice(1)], f, { kind: "same", as: x.id });
    this.layers.push({ node: { kind: "SPACE_TO_DEPTH", inputs: [x.id], outputs: [out.id], options: { blockSize: block } } });
    return out;
  }

  softmax(x: Value, name: string): Value {
    const out = this.value(name, x.shape, F.softmax(x.f), { kind: "fixed", scale: 1 / 256, zeroPoint: -128 });
    this.layers.push({ node: { kind: "SOFTMAX", inputs: [x.id], outputs: [out.id], options: { beta: 1 } } });
    return out;
  }

  /**
   * Quantizes everything into an int8 IR graph with `output` as the graph
   * output. With calibration on, the ranges are then refined on the quantized
   * network itself: it runs on the calibration inputs, and every calibrated range
   * whose edge codes are hit (int8 error carried from earlier layers) is widened,
   * until none is.
   */
  build(output: Value, source: string): Graph {
    const ranges = this.ranges.map((r) => ({ ...r }));
    let graph = this.graphWith(ranges, output, source);
    if (!this.calibrate) return this.withInterface(graph);
    const inputs = CALIBRATION_SEEDS.map((s) => xorshiftInput(s, size(this.shapes[0]!)));
    for (let pass = 0; pass < REFINE_PASSES; pass++) {
      const prepared = prepare(graph);
      const clippedLow = new Set<number>(), clippedHigh = new Set<number>();
      for (const input of inputs) {
        const { layers } = runReference(prepared, [input]);
        graph.nodes.forEach((node, i) => {
          const id = node.outputs[0]!;
          if (this.rules[id]!.kind !== "calibrated") return;
          const zp = graph.tensors[id]!.quant!.zeroPoint[0]!;
          for (const v of layers[i]!) {
            if (v === 127) clippedHigh.add(id);
            else if (v === -128 && zp !== -128) clippedLow.add(id);
          }
        });
      }
      if (clippedLow.size + clippedHigh.size === 0) break;
      for (const id of clippedHigh) ranges[id]!.hi = Math.max(ranges[id]!.hi, 1e-6) * WIDEN;
      for (const id of clippedLow) ranges[id]!.lo = Math.min(ranges[id]!.lo, -1e-6) * WIDEN;
      graph = this.graphWith(ranges, output, source);
    }
    return this.withInterface(graph);
  }

  /**
   * The interface around the int8 network: a float32 input QUANTIZEd to the
   * int8 input and the int8 output DEQUANTIZEd to float32; or a uint8 input and
   * output (same scales, zero points 128 above), converted by QUANTIZE.
   */
  private withInterface(g: Graph): Graph {
    if (this.io === "int8") return g;
    const inT = g.tensors[g.inputs[0]!]!, outT = g.tensors[g.outputs[0]!]!;
    const fin = g.tensors.length, fout = fin + 1;
    const edge = (id: number, name: string, t: Tensor): Tensor => (this.io === "float32"
      ? { id, name: `${name}_float`, shape: t.shape, dtype: "float32" }
      : { id, name: `${name}_uint8`, shape: t.shape, dtype: "uint8", quant: { scale: t.quant!.scale, zeroPoint: t.quant!.zeroPoint.map((z) => z + 128), axis: 0 } });
    const tensors: Tensor[] = [...g.tensors, edge(fin, "input", inT), edge(fout, "output", outT)];
    const nodes: Node[] = [
      { index: 0, kind: "QUANTIZE", inputs: [fin], outputs: [inT.id], options: {} },
      ...g.nodes.map((n) => ({ ...n, index: n.index + 1 }) as Node),
      { index: g.nodes.length + 1, kind: this.io === "float32" ? "DEQUANTIZE" : "QUANTIZE", inputs: [outT.id], outputs: [fout], options: {} } as Node,
    ];
    return { ...g, name: `${g.name}_${this.io === "float32" ? "float" : "uint8"}`, tensors, nodes, inputs: [fin], outputs: [fout] };
  }

  private graphWith(ranges: readonly { lo: number; hi: number }[], output: Value, source: string): Graph {
    const quant: { scale: number; zeroPoint: number }[] = [];
    this.rules.forEach((rule, id) => {
      if (rule.kind === "fixed") quant[id] = { scale: Math.fround(rule.scale), zeroPoint: rule.zeroPoint };
      else if (rule.kind === "same") quant[id] = quant[rule.as]!;
      else quant[id] = rangeQuant(ranges[id]!);
    });
    const tensors: Tensor[] = this.names.map((name, id) => ({
      id, name, shape: this.shapes[id]!, dtype: "int8", quant: q1(quant[id]!),
    }));
    const addConst = (t: Omit<Tensor, "id">) => { tensors.push({ ...t, id: tensors.length }); return tensors.length - 1; };
    const nodes: Node[] = this.layers.map((l, index) => {
      let weightScales: number[] = [];
      const inputs = l.node.inputs.map((ref) => {
        if (typeof ref === "number") return ref;
        if (ref.kind === "weights") {
          const w = quantizeWeights(ref.data, ref.shape, ref.axis);
          weightScales = w.scales;
          return addConst({ name: ref.name, shape: ref.shape, dtype: "int8", quant: { scale: w.scales, zeroPoint: w.scales.map(() => 0), axis: ref.axis }, data: new Uint8Array(w.q.buffer) });
        }
        if (ref.kind === "bias") {
          const sIn = quant[ref.input]!.scale;
          const q = Int32Array.from(ref.data, (b, c) => clampInt32(Math.round(b / (sIn * weightScales[c]!))));
          return addConst({ name: ref.name, shape: [q.length], dtype: "int32", quant: { scale: weightScales.map((s) => Math.fround(sIn * s)), zeroPoint: weightScales.map(() => 0), axis: 0 }, data: new Uint8Array(q.buffer) });
        }
        const v = Int32Array.from(ref.values);
        return addConst({ name: ref.name, shape: ref.shape, dtype: "int32", data: new Uint8Array(v.buffer) });
      });
      return { ...l.node, index, inputs } as Node;
    });
    return { name: this.name, source, sha256: "", tensors, nodes, inputs: [0], outputs: [output.id] };
  }
}

/** Range refinement: at most this many passes, each widening clipped ranges by WIDEN. */
const REFINE_PASSES = 8;
const WIDEN = 1.15;

function q1(q: { scale: number; zeroPoint: number }): Quantization {
  return { scale: [q.scale], zeroPoint: [q.zeroPoint], axis: 0 };
}

function clampInt32(v: number): number {
  return Math.max(-2147483648, Math.min(2147483647, v));
}



/**
 * Headroom beyond the calibrated range: int8 rounding moves values a little past
 * the float extremes, and functions with a floor (hard-swish at -0.375) would
 * otherwise pile up in the bottom code.
 */
const MARGIN = 1.1;

/** Asymmetric int8 quantization of a calibrated range (widened by MARGIN) that always contains 0. */
export function rangeQuant(r: { lo: number; hi: number }): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, r.lo) * MARGIN, hi = Math.max(0, r.hi * MARGIN, lo + 1e-6);
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(-128, Math.min(127, Math.round(-128 - lo / scale)));
  return { scale, zeroPoint };
}

/** Symmetric per-channel int8 weights along `axis`: scale = max|w| / 127. */
export function quantizeWeights(w: Float32Array, shape: readonly number[], axis: number): { q: Int8Array; scales: number[] } {
  const channels = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % channels;
  const max = new Float64Array(channels);
  w.forEach((v, i) => (max[channelOf(i)] = Math.max(max[channelOf(i)]!, Math.abs(v))));
  const scales = Array.from(max, (m) => Math.fround(m > 0 ? m / 127 : 1 / 127));
  const q = Int8Array.from(w, (v, i) => Math.max(-127, Math.min(127, Math.round(v / scales[channelOf(i)]!))));
  return { q, scales };
}
