/**
 * LOG_SOFTMAX, int8 (output scale 16/256, zero point 127) along the last
 * dimension: differences from the row maximum in Q5.26, gemmlowp's exp summed
 * in Q12.19, TFLite's fixed-point log of the sum, and each difference minus
 * that log in Q5.26, rescaled (reference_ops::LogSoftmaxQuantized; the
 * multipliers of log_softmax.cc's Prepare, PreprocessLogSoftmaxScalingExp).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { expOnNegativeValues, INT32_MIN, logXForXGreaterThanOrEqualTo1, multiplyByQuantizedMultiplier, rdbp } from "../numerics/fixedpoint.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import { expectUnary, tensorOf } from "./common.js";
import { softmaxScaling } from "./softmax.js";
import type { OpModule } from "./types.js";

const INPUT_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;
const OUTPUT_INTEGER_BITS = 4;

export interface LogSoftmaxParams {
  readonly rows: number;
  readonly depth: number;
  readonly inputMultiplier: number;
  readonly inputLeftShift: number;
  /** The inverse of the input scaling, for the row's lowest representable difference. */
  readonly reverseScalingDivisor: number;
  readonly reverseScalingShift: number;
  readonly diffMin: number;
}

function scaling(inputScale: number) {
  const s = softmaxScaling(1, inputScale);
  const reverse = quantizeMultiplier(2 ** (31 - s.leftShift) / s.multiplier);
  return { ...s, reverse };
}

export const logSoftmax: OpModule<"LOG_SOFTMAX", LogSoftmaxParams> = {
  kind: "LOG_SOFTMAX",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectUnary(node, graph, bag, site)) return;
    const input = tensorOf(graph, node.inputs[0]!), out = tensorOf(graph, node.outputs[0]!);
    const q = scalarQuant(out);
    if (q.zeroPoint !== 127 || q.scale !== 16 / 256) {
      bag.add("TC116", "logSoftmaxOutput", { scale: q.scale, zeroPoint: q.zeroPoint }, { ...site, tensor: out.name });
      return;
    }
    if (input.shape.length < 1) {
      bag.add("TC117", "logSoftmaxRank", {}, site);
      return;
    }
    const s = scaling(scalarQuant(input).scale);
    if (s.leftShift < 1 || s.reverse.shift > 0) bag.add("TC116", "logSoftmaxInput", {}, site);
  },

  prepare(node, graph) {
    const input = tensorOf(graph, node.inputs[0]!);
    const depth = input.shape[input.shape.length - 1]!;
    const s = scaling(scalarQuant(input).scale);
    return {
      rows: elementCount(input.shape) / depth, depth, inputMultiplier: s.multiplier, inputLeftShift: s.leftShift,
      reverseScalingDivisor: s.reverse.multiplier, reverseScalingShift: s.reverse.shift, diffMin: s.diffMin,
    };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.rows * p.depth);
    for (let r = 0; r < p.rows; r++) {
      const base = r * p.depth;
      let max = -128;
      for (let c = 0; c < p.depth; c++) max = Math.max(max, input![base + c]!);
      let sum = 0;
      for (let c = 0; c < p.depth; c++) {
        const diff = input![base + c]! - max;
        if (diff >= p.diffMin) {
          const scaled = multiplyByQuantizedMultiplier(diff, p.inputMultiplier, p.inputLeftShift);
          sum = (sum + rdbp(expOnNegativeValues(scaled, INPUT_INTEGER_BITS), ACCUMULATION_INTEGER_BITS)) | 0;
        }
      }
      const logSum = logXForXGreaterThanOrEqualTo1(sum, ACCUMULATION_INTEGER_BITS, INPUT_INTEGER_BITS);
      const adjustedDiffMin = Math.max(p.diffMin - 1, multiplyByQuantizedMultiplier((logSum + INT32_MIN) | 0, p.reverseScalingDivisor, p.reverseScalingShift));
      for (let c = 0; c < p.depth; c++) {
        const diff = input![base + c]! - max;
        if (diff > adjustedDiffMin) {
          const scaled = multiplyByQuantizedMultiplier(diff, p.inputMultiplier, p.inputLeftShift);
          const v = rdbp((scaled - logSum) | 0, 31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS) + 127;
          out[base + c] = Math.max(-128, Math.min(127, v));
        } else {
          out[base + c] = -128;
        }
      }
    }
    return out;
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
