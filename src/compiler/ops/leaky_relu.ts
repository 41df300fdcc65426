/**
 * LEAKY_RELU, int8: x ≥ 0 rescaled by input/output scale, x < 0 by alpha ×
 * input/output scale (reference_ops::QuantizeLeakyRelu; the multipliers from
 * float32 arithmetic on the scales and alpha, as TensorFlow Lite Micro computes
 * them; a negative alpha scales by its magnitude and negates).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import { quantizeMultiplier, type QuantizedMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectUnary, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export interface LeakyReluParams {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  readonly identity: QuantizedMultiplier;
  /** |alpha| × input/output scale; `negate` when alpha < 0. */
  readonly alpha: QuantizedMultiplier;
  readonly negate: boolean;
}

export const leakyRelu: OpModule<"LEAKY_RELU", LeakyReluParams> = {
  kind: "LEAKY_RELU",
  parseOptions: (t) => ({ alpha: t?.f32(fb.LeakyReluOptions.alpha) ?? 0 }),
  writeOptions: (b, o) => optionsTable(b, fb.BuiltinOptionsType.LeakyReluOptions, [{ id: fb.LeakyReluOptions.alpha, f32: o.alpha }]),
  validate: (node, graph, bag, site) => void expectUnary(node, graph, bag, site),

  prepare(node, graph) {
    const qi = scalarQuant(tensorOf(graph, node.inputs[0]!)), qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    const f = Math.fround;
    const alpha = quantizeMultiplier(f(f(qi.scale * node.options.alpha) / qo.scale));
    return {
      inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, identity: quantizeMultiplier(f(qi.scale / qo.scale)),
      alpha: { multiplier: Math.abs(alpha.multiplier), shift: alpha.shift }, negate: alpha.multiplier < 0,
    };
  },

  evaluate(_node, _graph, p, [input]) {
    return Int8Array.from(input!, (x) => {
      const v = x - p.inputZeroPoint;
      const scaled = v >= 0 ? multiplyByQuantizedMultiplier(v, p.identity.multiplier, p.identity.shift) : multiplyByQuantizedMultiplier(v, p.alpha.multiplier, p.alpha.shift);
      const out = p.outputZeroPoint + (v < 0 && p.negate ? -scaled : scaled);
      return Math.min(127, Math.max(-128, out));
    });
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
