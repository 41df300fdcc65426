/**
 * MEAN, int8, over any set of axes (global average pooling in MobileNetV3 and
 * squeeze-excite): int32 sums in a scratch buffer, then one requantization
 * whose multiplier absorbs 1/count (reference_ops::QuantizedMeanOrSum).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { constIndices, expectInputCount, indexValues, expectInt8Activation, expectShape, tensorOf } from "./common.js";
import { MAX_RANK, padShape } from "./shapes.js";
import { optionsTable } from "../tflite/options.js";
import type { DiagnosticBag } from "../../diagnostics.js";
import type { Graph, Node } from "../ir.js";
import type { OpModule, OpSite } from "./types.js";

export interface MeanParams {
  readonly inDims: readonly number[];
  /** Output element stride of each (6-padded) input dimension; 0 along reduced ones. */
  readonly outStride: readonly number[];
  readonly outputs: number;
  readonly count: number;
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  readonly multiplier: number;
  readonly shift: number;
}

function reducedAxes(axes: Int32Array, rank: number): Set<number> {
  return new Set([...axes].map((a) => (a < 0 ? a + rank : a)));
}

/** Where a reduction (MEAN, REDUCE_MAX) sends each input element: 6-padded input dims, output strides (0 along reduced axes). */
export interface ReductionLayout {
  readonly inDims: readonly number[];
  readonly outStride: readonly number[];
  /** Output elements, and input elements reduced into each. */
  readonly outputs: number;
  readonly count: number;
}

export function reductionLayout(node: Node, graph: Graph): ReductionLayout {
  const [inId, axisId] = node.inputs as [number, number];
  const shape = tensorOf(graph, inId).shape;
  const reduced = reducedAxes(indexValues(tensorOf(graph, axisId)), shape.length);
  const inDims = padShape(shape);
  const pad = MAX_RANK - shape.length;
  const outStride = Array<number>(MAX_RANK).fill(0);
  let s = 1;
  for (let d = MAX_RANK - 1; d >= 0; d--) {
    if (d >= pad && reduced.has(d - pad)) continue;
    outStride[d] = s;
    s *= inDims[d]!;
  }
  return { inDims, outStride, outputs: s, count: elementCount(shape.filter((_, i) => reduced.has(i))) };
}

/** Visits every input element with the index of the output element it reduces into. */
export function forEachReduced(l: ReductionLayout, fn: (out: number, i: number) => void): void {
  const [d0, d1, d2, d3, d4, d5] = l.inDims as [number, number, number, number, number, number];
  const s = l.outStride;
  let i = 0;
  for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let c = 0; c < d2; c++)
    for (let d = 0; d < d3; d++) for (let e = 0; e < d4; e++) for (let f = 0; f < d5; f++) {
      fn(a * s[0]! + b * s[1]! + c * s[2]! + d * s[3]! + e * s[4]! + f * s[5]!, i++);
    }
}

/** Checks a reducer's operands: int8 data, constant axes inside its rank, the output's shape (with or without keep_dims). */
export function validateReducer(node: Node & { options: { keepDims: boolean } }, graph: Graph, bag: DiagnosticBag, site: OpSite): boolean {
  if (!expectInputCount(node.inputs, 2, 2, bag, site)) return false;
  const [inId, axisId] = node.inputs as [number, number];
  const out = node.outputs[0]!;
  if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, out, "output", bag, site)) return false;
  const axes = constIndices(graph, axisId, "the axis operand", bag, site);
  if (!axes) return false;
  const shape = tensorOf(graph, inId).shape;
  const reduced = reducedAxes(axes, shape.length);
  if ([...reduced].some((a) => a < 0 || a >= shape.length) || shape.length > MAX_RANK) {
    bag.add("TC115", "axes", { axes: [...axes].join(", "), rank: shape.length }, site);
    return false;
  }
  const expected = node.options.keepDims ? shape.map((d, i) => (reduced.has(i) ? 1 : d)) : shape.filter((_, i) => !reduced.has(i));
  if (elementCount(tensorOf(graph, out).shape) !== elementCount(expected)) return expectShape(graph, out, expected, "output", bag, site);
  return true;
}

export const mean: OpModule<"MEAN", MeanParams> = {
  kind: "MEAN",

  parseOptions(t) {
    return { keepDims: t?.bool(fb.ReducerOptions.keepDims) ?? false };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.ReducerOptions, [{ id: fb.ReducerOptions.keepDims, bool: o.keepDims }]);
  },

  validate(node, graph, bag, site) {
    validateReducer(node, graph, bag, site);
  },

  prepare(node, graph) {
    const inId = node.inputs[0]!;
    const { inDims, outStride, outputs: s, count } = reductionLayout(node, graph);
    const qi = scalarQuant(tensorOf(graph, inId)), qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    const q = quantizeMultiplier(qi.scale / qo.scale);
    // Fold 1/count into the multiplier, as QuantizedMeanOrSum does (exact in 64 bits).
    const shift = Math.min(count.toString(2).length - 1, 32, 31 + q.shift); // floor(log2(count)), clamped
    const multiplier = Number((BigInt(q.multiplier) << BigInt(shift)) / BigInt(count));
    return {
      inDims, outStride, outputs: s, count, inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint,
      multiplier: multiplier | 0, shift: q.shift - shift,
    };
  },

  evaluate(_node, _graph, p, [input]) {
    const sums = new Int32Array(p.outputs);
    forEachReduced(p, (o, i) => void (sums[o] += input![i]!));
    return Int8Array.from(sums, (sum) => {
      const v = multiplyByQuantizedMultiplier((sum - p.inputZeroPoint * p.count) | 0, p.multiplier, p.shift) + p.outputZeroPoint;
      return Math.min(127, Math.max(-128, v));
    });
  },

  macs(node, graph) {
    return elementCount(tensorOf(graph, node.inputs[0]!).shape);
  },
};
