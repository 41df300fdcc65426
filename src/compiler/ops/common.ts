/** Helpers shared by op modules: tensor access, padding, validation checks. */
import type { DiagnosticBag } from "../../diagnostics.js";
import { fail } from "../../diagnostics.js";
import type { Activation, ExplicitPadding, Graph, Padding, Tensor, TensorData } from "../ir.js";
import { ACTIVATIONS, PADDINGS } from "../tflite/schema.js";
import { broadcastShape, MAX_RANK, type WindowGeometry } from "./shapes.js";
import type { OpSite } from "./types.js";

export function tensorOf(graph: Graph, id: number): Tensor {
  const t = graph.tensors[id];
  if (!t) throw new Error(`tinyc internal error: no tensor ${id}`);
  return t;
}

/** Signed view of a constant int8 tensor. */
export function constInt8(t: Tensor): Int8Array {
  const d = t.data!;
  return new Int8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** A constant tensor's values as the reference computes with them: int64 shape data as int32 (its values fit). */
export function constData(t: Tensor): TensorData {
  switch (t.dtype) {
    case "int8": return constInt8(t);
    case "uint8": return new Uint8Array(t.data!);
    case "int32": case "int64": return indexValues(t);
    case "float32": return new Float32Array(new Uint8Array(t.data!).buffer);
    default: throw new Error(`tinyc internal error: constant ${t.name} of type ${t.dtype}`);
  }
}

/** `n` zeroed values of the same kind as `like` (ops that move int8, int32 or float32 data unchanged). */
export function emptyLike(like: TensorData, n: number): TensorData {
  return like instanceof Float32Array ? new Float32Array(n) : like instanceof Int32Array ? new Int32Array(n) : like instanceof Uint8Array ? new Uint8Array(n) : new Int8Array(n);
}

/** Little-endian bytes of values computed for a tensor of `dtype` (a folded constant). */
export function encodeData(values: TensorData, dtype: Tensor["dtype"]): Uint8Array {
  if (dtype === "int64") return new Uint8Array(BigInt64Array.from(values as Int32Array, (v) => BigInt(v)).buffer);
  if (dtype === "int32") return new Uint8Array(Int32Array.from(values).buffer);
  if (dtype === "float32") return new Uint8Array(Float32Array.from(values).buffer);
  return new Uint8Array(Uint8Array.from(values, (v) => v & 0xff).buffer);
}

/** Copy of a constant int32 tensor (the file gives no alignment guarantee). */
export function constInt32(t: Tensor): Int32Array {
  const d = t.data!;
  const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const out = new Int32Array(d.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
  return out;
}

export interface Padding2D {
  readonly top: number;
  readonly left: number;
  /** Output spatial size implied by the padding mode. */
  readonly outH: number;
  readonly outW: number;
}

/** TensorFlow Lite's padding rule (ComputePaddingHeightWidth): extra padding goes to the bottom/right. */
export function computePadding(
  padding: Padding | ExplicitPadding, inH: number, inW: number, kH: number, kW: number,
  strideH: number, strideW: number, dilH = 1, dilW = 1,
): Padding2D {
  const effH = (kH - 1) * dilH + 1;
  const effW = (kW - 1) * dilW + 1;
  if (typeof padding === "object") {
    const out = (size: number, before: number, after: number, eff: number, stride: number) => Math.floor((size + before + after - eff) / stride) + 1;
    return { top: padding.top, left: padding.left, outH: out(inH, padding.top, padding.bottom, effH, strideH), outW: out(inW, padding.left, padding.right, effW, strideW) };
  }
  const outH = padding === "SAME" ? Math.ceil(inH / strideH) : Math.floor((inH - effH + strideH) / strideH);
  const outW = padding === "SAME" ? Math.ceil(inW / strideW) : Math.floor((inW - effW + strideW) / strideW);
  const pad = (o: number, s: number, e: number, i: number) => Math.max(0, Math.floor(((o - 1) * s + e - i) / 2));
  return { top: pad(outH, strideH, effH, inH), left: pad(outW, strideW, effW, inW), outH, outW };
}

/** The TFLite padding mode a window geometry's padding amounts to, if any (SAME or VALID give the same top, left and output size). */
export function tflitePaddingOf(g: WindowGeometry): Padding | undefined {
  return (["SAME", "VALID"] as const).find((mode) => {
    const p = computePadding(mode, g.inH, g.inW, g.kH, g.kW, g.strideH, g.strideW, g.dilH, g.dilW);
    return p.top === g.padTop && p.left === g.padLeft && p.outH === g.outH && p.outW === g.outW;
  });
}

export function parsePadding(code: number, site: OpSite): Padding {
  const p = PADDINGS[code];
  if (!p) fail("TC115", "padding", { code }, site);
  return p;
}

export function parseActivation(code: number, site: OpSite): Activation {
  const a = ACTIVATIONS[code];
  if (a === undefined) fail("TC115", "activationCode", { code }, site);
  if (a === "TANH" || a === "SIGN_BIT") {
    fail("TC115", "activation", { activation: a }, site);
  }
  return a;
}

export function positive(value: number, what: string, site: OpSite): number {
  if (!Number.isInteger(value) || value < 1) fail("TC115", "positive", { option: what, value }, site);
  return value;
}

/** Checks that a tensor is int8 with per-tensor quantization (an activation). */
export function expectInt8Activation(graph: Graph, id: number, role: string, bag: DiagnosticBag, site: OpSite): boolean {
  return expectActivation(graph, id, role, "int8", bag, site);
}

/** A per-tensor quantized activation of `dtype` (uint8 only at a model's edge, through QUANTIZE). */
export function expectActivation(graph: Graph, id: number, role: string, dtype: "int8" | "uint8", bag: DiagnosticBag, site: OpSite): boolean {
  const t = tensorOf(graph, id);
  if (t.dtype !== dtype) {
    if (dtype === "int8") bag.add("TC111", "activation", { role, dtype: t.dtype }, { ...site, tensor: t.name });
    else bag.add("TC111", "activationType", { role, dtype: t.dtype, expected: dtype }, { ...site, tensor: t.name });
    return false;
  }
  if (!t.quant || t.quant.scale.length !== 1 || !(t.quant.scale[0]! > 0) || t.quant.zeroPoint.length !== 1) {
    bag.add("TC116", "perTensor", { role }, { ...site, tensor: t.name });
    return false;
  }
  const zp = t.quant.zeroPoint[0]!;
  const [lo, hi] = dtype === "int8" ? [-128, 127] : [0, 255];
  if (zp < lo || zp > hi) {
    bag.add("TC116", "zeroPointRange", { role, zeroPoint: zp, dtype, min: lo, max: hi }, { ...site, tensor: t.name });
    return false;
  }
  return true;
}

/** Checks a constant int8 weight tensor with symmetric (zero point 0) scales, per tensor or per `channels` along `axis`. */
export function expectInt8Weights(
  graph: Graph, id: number, role: string, axis: number, channels: number, bag: DiagnosticBag, site: OpSite,
  options: { allowPerChannel: boolean } = { allowPerChannel: true },
): boolean {
  const t = tensorOf(graph, id);
  if (t.dtype !== "int8") {
    bag.add("TC111", "weights", { role, dtype: t.dtype }, { ...site, tensor: t.name });
    return false;
  }
  if (!t.data) {
    bag.add("TC115", "constant", { role }, { ...site, tensor: t.name });
    return false;
  }
  const q = t.quant;
  if (!q || q.scale.length === 0 || q.scale.some((s) => !(s > 0))) {
    bag.add("TC116", "scales", { role }, { ...site, tensor: t.name });
    return false;
  }
  if (q.scale.length !== 1 && (!options.allowPerChannel || q.scale.length !== channels || q.axis !== axis)) {
    bag.add("TC116", "channelScales", { role, count: q.scale.length, axis: q.axis, channels, channelAxis: axis }, { ...site, tensor: t.name });
    return false;
  }
  if (q.zeroPoint.some((z) => z !== 0)) {
    bag.add("TC116", "symmetric", { role }, { ...site, tensor: t.name });
    return false;
  }
  return true;
}

export function expectBias(graph: Graph, id: number, channels: number, bag: DiagnosticBag, site: OpSite): boolean {
  if (id < 0) return true;
  const t = tensorOf(graph, id);
  if (t.dtype !== "int32") {
    bag.add("TC111", "bias", { dtype: t.dtype }, { ...site, tensor: t.name });
    return false;
  }
  if (!t.data) {
    bag.add("TC115", "constant", { role: "bias" }, { ...site, tensor: t.name });
    return false;
  }
  if (t.data.byteLength !== channels * 4) {
    bag.add("TC117", "biasCount", { count: t.data.byteLength / 4, channels }, { ...site, tensor: t.name });
    return false;
  }
  return true;
}

export function expectRank(graph: Graph, id: number, rank: number, role: string, bag: DiagnosticBag, site: OpSite): boolean {
  const t = tensorOf(graph, id);
  if (t.shape.length !== rank) {
    bag.add("TC117", "rank", { role, shape: t.shape.join(", "), rank }, { ...site, tensor: t.name });
    return false;
  }
  return true;
}

export function expectShape(graph: Graph, id: number, expected: readonly number[], role: string, bag: DiagnosticBag, site: OpSite): boolean {
  const t = tensorOf(graph, id);
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    bag.add("TC117", "shape", { role, shape: t.shape.join(", "), expected: expected.join(", ") }, { ...site, tensor: t.name });
    return false;
  }
  return true;
}

export function expectInputCount(inputs: readonly number[], min: number, max: number, bag: DiagnosticBag, site: OpSite): boolean {
  const n = inputs.length;
  if (n < min || n > max || inputs.slice(0, min).some((i) => i < 0)) {
    if (min === max) bag.add("TC103", "inputCount", { count: n, expected: min }, site);
    else bag.add("TC103", "inputRange", { count: n, min, max }, site);
    return false;
  }
  return true;
}

/** Checks two int8 tensors share scale and zero point (ops that move values without rescaling them). */
export function expectSameQuant(graph: Graph, a: number, b: number, what: string, bag: DiagnosticBag, site: OpSite): boolean {
  const qa = tensorOf(graph, a).quant, qb = tensorOf(graph, b).quant;
  if (!qa || !qb || qa.scale[0] !== qb.scale[0] || (qa.zeroPoint[0] ?? 0) !== (qb.zeroPoint[0] ?? 0)) {
    bag.add("TC116", "sameQuant", { role: what }, { ...site, tensor: tensorOf(graph, a).name });
    return false;
  }
  return true;
}

/** Validates a one-input op whose int8 output has the input's shape. */
export function expectUnary(node: { inputs: readonly number[]; outputs: readonly number[] }, graph: Graph, bag: DiagnosticBag, site: OpSite): boolean {
  if (!expectInputCount(node.inputs, 1, 1, bag, site)) return false;
  const inId = node.inputs[0]!, outId = node.outputs[0]!;
  if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, outId, "output", bag, site)) return false;
  return expectShape(graph, outId, tensorOf(graph, inId).shape, "output", bag, site);
}

/** A constant int32 operand (axes, paddings), or undefined after reporting why not. */
export function constIndices(graph: Graph, id: number, role: string, bag: DiagnosticBag, site: OpSite): Int32Array | undefined {
  const t = graph.tensors[id];
  if (!t || !t.data || (t.dtype !== "int32" && t.dtype !== "int64")) {
    bag.add("TC115", "constantIndices", { role }, { ...site, tensor: t?.name });
    return undefined;
  }
  return indexValues(t);
}

/** Values of a constant int32/int64 index tensor (already validated). */
export function indexValues(t: Tensor): Int32Array {
  if (t.dtype === "int64") {
    const v = new DataView(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength);
    return Int32Array.from({ length: t.data!.byteLength / 8 }, (_, i) => Number(v.getBigInt64(8 * i, true)));
  }
  return constInt32(t);
}

/** Validates an element-wise binary op: two int8 inputs that broadcast to the int8 output's shape. */
export function expectBinary(node: { inputs: readonly number[]; outputs: readonly number[] }, graph: Graph, bag: DiagnosticBag, site: OpSite): boolean {
  if (!expectInputCount(node.inputs, 2, 2, bag, site)) return false;
  const [a, b] = node.inputs as [number, number];
  const out = node.outputs[0]!;
  if (![a, b, out].every((id, i) => expectInt8Activation(graph, id, ["input 1", "input 2", "output"][i]!, bag, site))) return false;
  const shape = broadcastShape(tensorOf(graph, a).shape, tensorOf(graph, b).shape);
  if (!shape || shape.length > MAX_RANK) {
    bag.add("TC117", "broadcast", { a: tensorOf(graph, a).shape.join(", "), b: tensorOf(graph, b).shape.join(", ") }, site);
    return false;
  }
  return expectShape(graph, out, shape, "output", bag, site);
}
