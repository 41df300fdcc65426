/**
 * SOFTMAX, int8 in and out (output scale 1/256, zero point -128) along the last
 * dimension. Reference semantics: reference_ops::Softmax with gemmlowp
 * fixed-point exp (input in Q5.26) and reciprocal, as CMSIS-NN's arm_softmax_s8.
 */
import { elementCount, scalarQuant } from "../ir.js";
import {
  expOnNegativeValues, getReciprocal, multiplyByQuantizedMultiplierGreaterThanOne, rdbp, srdhm,
} from "../numerics/fixedpoint.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { expectInputCount, expectInt8Activation, expectShape, tensorOf } from "./common.js";
import { optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

export interface SoftmaxParams {
  readonly rows: number;
  readonly depth: number;
  readonly inputMultiplier: number;
  readonly inputLeftShift: number;
  readonly diffMin: number;
}

/** PreprocessSoftmaxScaling + CalculateInputRadius (double-rounding build). */
export function softmaxScaling(beta: number, inputScale: number): { multiplier: number; leftShift: number; diffMin: number } {
  const real = Math.min(beta * inputScale * 2 ** (31 - SCALED_DIFF_INTEGER_BITS), 2 ** 31 - 1);
  const q = quantizeMultiplier(real);
  const maxInputRescaled = (((1 << SCALED_DIFF_INTEGER_BITS) - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS)) / 2 ** q.shift;
  return { multiplier: q.multiplier, leftShift: q.shift, diffMin: -Math.floor(maxInputRescaled) };
}

export const softmax: OpModule<"SOFTMAX", SoftmaxParams> = {
  kind: "SOFTMAX",

  parseOptions(t) {
    return { beta: t?.f32(fb.SoftmaxOptions.beta) ?? 0 };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.SoftmaxOptions, [{ id: fb.SoftmaxOptions.beta, f32: o.beta }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const inId = node.inputs[0]!, outId = node.outputs[0]!;
    if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, outId, "output", bag, site)) return;
    const q = scalarQuant(tensorOf(graph, outId));
    if (q.zeroPoint !== -128 || q.scale !== 1 / 256) {
      bag.add("TC116", "softmaxOutput", { scale: q.scale, zeroPoint: q.zeroPoint }, { ...site, tensor: tensorOf(graph, outId).name });
    }
    if (!(node.options.beta > 0)) bag.add("TC115", "beta", { beta: node.options.beta }, site);
    const input = tensorOf(graph, inId);
    if (input.shape.length < 1) bag.add("TC117", "softmaxRank", {}, site);
    else expectShape(graph, outId, input.shape, "output", bag, site);
    if (bag.size === 0 && softmaxScaling(node.options.beta, scalarQuant(input).scale).leftShift < 0) {
      bag.add("TC116", "softmaxScale", {}, site);
    }
  },

  prepare(node, graph) {
    const input = tensorOf(graph, node.inputs[0]!);
    const depth = input.shape[input.shape.length - 1]!;
    const s = softmaxScaling(node.options.beta, scalarQuant(input).scale);
    return { rows: elementCount(input.shape) / depth, depth, inputMultiplier: s.multiplier, inputLeftShift: s.leftShift, diffMin: s.diffMin };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.rows * p.depth);
    const exps = new Int32Array(p.depth);
    for (let r = 0; r < p.rows; r++) {
      const base = r * p.depth;
      let max = -128;
      for (let c = 0; c < p.depth; c++) max = Math.max(max, input![base + c]!);
      let sum = 0;
      for (let c = 0; c < p.depth; c++) {
        const diff = input![base + c]! - max;
        if (diff >= p.diffMin) {
          const scaled = multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMultiplier, p.inputLeftShift);
          exps[c] = expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
          sum = (sum + rdbp(exps[c]!, ACCUMULATION_INTEGER_BITS)) | 0;
        }
      }
      const { reciprocal, bitsOverUnit } = getReciprocal(sum, ACCUMULATION_INTEGER_BITS);
      const exponent = bitsOverUnit + 31 - 8;
      for (let c = 0; c < p.depth; c++) {
        const diff = input![base + c]! - max;
        if (diff >= p.diffMin) {
          const v = rdbp(srdhm(reciprocal, exps[c]!), exponent) - 128;
          out[base + c] = Math.max(-128, Math.min(127, v));
        } else {
          out[base + c] = -128;
        }
      }
    }
    return out;
  },

  macs(node, graph) {
    return elementCount(tensorOf(graph, node.inputs[0]!).shape);
  },
};
