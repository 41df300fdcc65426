/**
 * TANH, int8 (output scale 1/128, zero point 0): the input is rescaled to
 * Q4.27 as for LOGISTIC and gemmlowp's fixed-point tanh computes Q0.31,
 * saturating beyond the input radius (reference_integer_ops::Tanh; tanh.cc).
 */
import { expOnNegativeValues, oneMinusXOverOnePlusXForXIn01 } from "../numerics/fixedpoint.js";
import { sigmoidLike, type LogisticParams } from "./logistic.js";
import type { OpModule } from "./types.js";

/** gemmlowp tanh on a Q4.27 value, Q0.31 result: tanh|a| = (1 − e^(−2|a|)) / (1 + e^(−2|a|)). */
function tanhQ4(a: number): number {
  if (a === 0) return 0;
  // ExactMulByPot<1> reinterprets the Q4.27 raw value as Q5.26: −2|a|.
  const t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(-Math.abs(a), 5));
  return a < 0 ? -t : t;
}

export const tanh = sigmoidLike("TANH", "tanh", 7, 0, tanhQ4) as OpModule<"TANH", LogisticParams>;
