/** Requantization parameters shared by the multiply-accumulate ops (conv, depthwise, fully connected). */
import type { Graph, Tensor } from "../ir.js";
import { scalarQuant } from "../ir.js";
import { activationRange, quantizeMultiplier } from "../numerics/quantize.js";
import type { Activation } from "../ir.js";
import { tensorOf } from "./common.js";

export interface Requant {
  /** -input zero point, added to every input value. */
  readonly inputOffset: number;
  readonly outputOffset: number;
  readonly actMin: number;
  readonly actMax: number;
  /** One Q31 multiplier and shift per output channel (repeated when per-tensor). */
  readonly multiplier: Int32Array;
  readonly shift: Int32Array;
}

/**
 * effective_scale[c] = input_scale * filter_scale[c] / output_scale, each float32
 * widened to double first (PopulateConvolutionQuantizationParams).
 */
export function requantFor(graph: Graph, inputId: number, filter: Tensor, outputId: number, channels: number, activation: Activation): Requant {
  const input = scalarQuant(tensorOf(graph, inputId));
  const output = scalarQuant(tensorOf(graph, outputId));
  const scales = filter.quant!.scale;
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = scales.length === 1 ? scales[0]! : scales[c]!;
    const q = quantizeMultiplier((input.scale * s) / output.scale);
    multiplier[c] = q.multiplier;
    shift[c] = q.shift;
  }
  const range = activationRange(activation, output.scale, output.zeroPoint);
  return {
    inputOffset: -input.zeroPoint,
    outputOffset: output.zeroPoint,
    actMin: range.min,
    actMax: range.max,
    multiplier,
    shift,
  };
}
