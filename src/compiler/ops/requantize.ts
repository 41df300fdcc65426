/**
 * Element-wise requantization, shared by RELU (clamped at the output's zero)
 * and QUANTIZE (int8 / uint8 to int8 / uint8): out = clamp(out_zp + requant(in
 * - in_zp)). With equal scales TensorFlow Lite's uint8 <-> int8 fast path
 * (x ^ 0x80 when the zero points differ by 128) gives the same bytes: the
 * multiplier is then exactly 1.
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

export function requantize(p: RequantParams, input: ArrayLike<number>, to: "int8" | "uint8" = "int8"): Int8Array | Uint8Array {
  const out = to === "uint8" ? new Uint8Array(input.length) : new Int8Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = p.outputZeroPoint + multiplyByQuantizedMultiplier(input[i]! - p.inputZeroPoint, p.q.multiplier, p.q.shift);
    out[i] = Math.min(p.actMax, Math.max(p.actMin, v));
  }
  return out;
}
