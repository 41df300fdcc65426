/**
 * TANH, int8 (output scale 1/128, zero point 0): the input is rescaled to
 * Q4.27 as for LOGISTIC and gemmlowp's fixed-point tanh computes Q0.31,
 * saturating beyond the input radius (reference_integer_ops::Tanh; tanh.cc).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { expOnNegativeValues, multiplyByQuantizedMultiplier, oneMinusXOverOnePlusXForXIn01, rdbp } from "../numerics/fixedpoint.js";
import { expectUnary, tensorOf } from "./common.js";
import { logisticParams, type LogisticParams } from "./logistic.js";
import type { OpModule } from "./types.js";

/** gemmlowp tanh on a Q4.27 value, Q0.31 result: tanh|a| = (1 − e^(−2|a|)) / (1 + e^(−2|a|)). */
function tanhQ4(a: number): number {
  if (a === 0) return 0;
  // ExactMulByPot<1> reinterprets the Q4.27 raw value as Q5.26: −2|a|.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(-Math.abs(a), 5));
  return a < 0 ? -t : t;
}

export const tanh: OpModule<"TANH", LogisticParams> = {
  kind: "TANH",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectUnary(node, graph, bag, site)) return;
    const out = tensorOf(graph, node.outputs[0]!);
    const q = scalarQuant(out);
    if (q.zeroPoint !== 0 || q.scale !== 1 / 128) {
      bag.add("TC116", `int8 tanh output must have scale 1/128 and zero point 0 (has ${q.scale} and ${q.zeroPoint})`, { ...site, tensor: out.name });
      return;
    }
    const p = this.prepare(node, graph);
    if (p.inputLeftShift < 0 || p.inputMultiplier >= 2 ** 31) bag.add("TC116", "the input scale is too small for the int8 tanh kernel", site);
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
      const q0 = tanhQ4(multiplyByQuantizedMultiplier(v, p.inputMultiplier, p.inputLeftShift));
      return Math.min(127, Math.max(-128, rdbp(q0, 31 - 7)));
    });
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
