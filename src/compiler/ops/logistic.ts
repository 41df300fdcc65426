/**
 * LOGISTIC, int8 (output scale 1/256, zero point -128): the input is rescaled
 * to Q4.27 and gemmlowp's fixed-point logistic computes Q0.31, saturating beyond
 * the input radius (reference_integer_ops::Logistic; logistic_common.cc).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { expOnNegativeValues, INT32_MAX, multiplyByQuantizedMultiplier, oneOverOnePlusXForXIn01, rdbp } from "../numerics/fixedpoint.js";
import { frexp, roundHalfAway } from "../numerics/quantize.js";
import { expectUnary, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

const INPUT_INTEGER_BITS = 4;

export interface LogisticParams {
  readonly inputZeroPoint: number;
  readonly inputRangeRadius: number;
  readonly inputMultiplier: number;
  readonly inputLeftShift: number;
}

export function logisticParams(inputScale: number, inputZeroPoint: number): LogisticParams {
  const { mantissa, exponent } = frexp(inputScale * 2 ** (31 - INPUT_INTEGER_BITS));
  return {
    inputZeroPoint,
    inputMultiplier: roundHalfAway(mantissa * 2 ** 31),
    inputLeftShift: exponent,
    inputRangeRadius: Math.floor(((1 << INPUT_INTEGER_BITS) - 1) * 2 ** (31 - INPUT_INTEGER_BITS) / 2 ** exponent),
  };
}

/** gemmlowp logistic on a Q4.27 value, Q0.31 result. */
function logisticQ4(a: number): number {
  if (a === 0) return 1 << 30;
  const positive = oneOverOnePlusXForXIn01(expOnNegativeValues(-Math.abs(a), INPUT_INTEGER_BITS));
  return a > 0 ? positive : (INT32_MAX - positive) | 0;
}

/**
 * LOGISTIC and TANH: the same Q4.27 input rescaling and saturation radius, a
 * gemmlowp function to Q0.31, and a fixed output quantization (1 / 2^outputBits, `zeroPoint`).
 */
export function sigmoidLike(kind: "LOGISTIC" | "TANH", name: string, outputBits: number, zeroPoint: number, q4ToQ0: (a: number) => number): OpModule<"LOGISTIC" | "TANH", LogisticParams> {
  return {
    kind,
    parseOptions: () => ({}),

    validate(node, graph, bag, site) {
      if (!expectUnary(node, graph, bag, site)) return;
      const out = tensorOf(graph, node.outputs[0]!);
      const q = scalarQuant(out);
      if (q.zeroPoint !== zeroPoint || q.scale !== 1 / 2 ** outputBits) {
        bag.add("TC116", "fixedOutput", { op: name, denominator: 2 ** outputBits, zeroPoint, scale: q.scale, actualZeroPoint: q.zeroPoint }, { ...site, tensor: out.name });
        return;
      }
      const p = this.prepare(node, graph);
      if (p.inputLeftShift < 0 || p.inputMultiplier >= 2 ** 31) bag.add("TC116", "inputScale", { op: name }, site);
    },

    prepare(node, graph) {
      const q = scalarQuant(tensorOf(graph, node.inputs[0]!));
      return logisticParams(q.scale, q.zeroPoint);
    },

    evaluate(_node, _graph, p, [input]) {
      return Int8Array.from(input!, (x) => {
        const v = x - p.inputZeroPoint;
        if (v <= -p.inputRangeRadius) return -128;
        if (v >= p.inputRangeRadius) return 127;
        const q0 = q4ToQ0(multiplyByQuantizedMultiplier(v, p.inputMultiplier, p.inputLeftShift));
        return Math.min(127, Math.max(-128, rdbp(q0, 31 - outputBits) + zeroPoint));
      });
    },

    macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
  };
}

export const logistic = sigmoidLike("LOGISTIC", "logistic", 8, -128, logisticQ4) as OpModule<"LOGISTIC", LogisticParams>;
