/**
 * Element-wise requantization, shared by RELU (clamped at the output's zero)
 * and QUANTIZE (int8 to int8): out = clamp(out_zp + requant(in - in_zp)).
 */
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import type { QuantizedMultiplier } from "../numerics/quantize.js";

export interface RequantParams {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  readonly q: QuantizedMultiplier;
  readonly actMin: number;
  readonly actMax: number;
}

export function requantize(p: RequantParams, input: ArrayLike<number>): Int8Array {
  return Int8Array.from(input, (x) => {
    const v = p.outputZeroPoint + multiplyByQuantizedMultiplier(x - p.inputZeroPoint, p.q.multiplier, p.q.shift);
    return Math.min(p.actMax, Math.max(p.actMin, v));
  });
}
