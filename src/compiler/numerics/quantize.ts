/**
 * Host-side computation of requantization parameters, exactly as TensorFlow Lite
 * computes them at prepare time (frexp-based Q31 multiplier; float32 scales
 * widened to double; activation ranges from float32 division rounded half away
 * from zero).
 */
import type { Activation } from "../ir.js";

/** C's frexp: x = m * 2^e with 0.5 <= |m| < 1. */
export function frexp(x: number): { mantissa: number; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) return { mantissa: x, exponent: 0 };
  let exponent = Math.floor(Math.log2(Math.abs(x))) + 1;
  let mantissa = x / 2 ** exponent;
  while (Math.abs(mantissa) >= 1) { mantissa /= 2; exponent++; }
  while (Math.abs(mantissa) < 0.5) { mantissa *= 2; exponent--; }
  return { mantissa, exponent };
}

/** round half away from zero (TfLiteRound / std::round). */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

export interface QuantizedMultiplier {
  /** Q31 multiplier in [2^30, 2^31), or 0. */
  readonly multiplier: number;
  /** Power-of-two exponent; positive means a left shift. */
  readonly shift: number;
}

/**
 * A real multiplier no int32 requantization can apply (a left shift of 31 or
 * more, or not finite): thrown by quantizeMultiplier while an op prepares, and
 * turned into a coded error naming the op by legalize.
 */
export class MultiplierRangeError extends Error {
  constructor(readonly real: number) {
    super(`requantization multiplier ${real} is outside what int32 fixed point can apply`);
  }
}

/** TFLite QuantizeMultiplier (double-rounding build). */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  if (!Number.isFinite(real) || real >= 2 ** 30) throw new MultiplierRangeError(real);
  const { mantissa, exponent } = frexp(real);
  let shift = exponent;
  let q = roundHalfAway(mantissa * 2 ** 31);
  if (q === 2 ** 31) { q /= 2; shift++; }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  return { multiplier: q, shift };
}

/** Clamp range [min, max] of a fused activation on an int8 output (CalculateActivationRangeQuantized). */
export function activationRange(activation: Activation, scale: number, zeroPoint: number): { min: number; max: number } {
  const q = (f: number): number => zeroPoint + roundHalfAway(Math.fround(f / scale));
  switch (activation) {
    case "NONE": return { min: -128, max: 127 };
    case "RELU": return { min: Math.max(-128, q(0)), max: 127 };
    case "RELU6": return { min: Math.max(-128, q(0)), max: Math.min(127, q(6)) };
    case "RELU_N1_TO_1": return { min: Math.max(-128, q(-1)), max: Math.min(127, q(1)) };
  }
}
