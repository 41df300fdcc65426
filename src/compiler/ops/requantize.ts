/**
 * Element-wise requantization, shared by RELU (clamped at the output's zero)
 * and QUANTIZE (int8 to int8): out = clamp(out_zp + requant(in - in_zp)).
 */
import { elementCount } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import type { QuantizedMultiplier } from "../numerics/quantize.js";
import type { EmitContext } from "./types.js";

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

export function emitRequantize(ctx: EmitContext, index: number, shape: readonly number[], p: RequantParams, input: string, output: string): void {
  ctx.kernel("tinyc_activations.c");
  const params = ctx.struct(`op${index}_params`, "tinyc_requant_params", {
    size: elementCount(shape), input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
    multiplier: p.q.multiplier, shift: p.q.shift, act_min: p.actMin, act_max: p.actMax,
  });
  ctx.body.line(`tinyc_requantize_s8(&${params}, ${input}, ${output});`);
}
