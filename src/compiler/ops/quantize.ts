/**
 * QUANTIZE: int8 to int8 (a requantization between two scales; reference_ops::
 * Requantize with the double quotient of the scales), or float32 to int8 at a
 * model's float input (reference_ops::AffineQuantize: round(x / scale) half
 * away from zero, in float32, plus the zero point, clamped).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { quantizeMultiplier, roundHalfAway } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectInputCount, expectInt8Activation, expectShape, expectUnary, tensorOf } from "./common.js";
import { requantize, type RequantParams } from "./requantize.js";
import type { OpModule } from "./types.js";

export type QuantizeParams =
  | ({ readonly from: "int8" } & RequantParams)
  | { readonly from: "float32"; readonly scale: number; readonly zeroPoint: number };

/**
 * AffineQuantize of one float32 value. NaN maps to the zero point (real 0):
 * TFLite's cast of NaN to int32 is undefined behaviour (its WebAssembly build
 * gives 127); values far out of range saturate as in TFLite.
 */
export function quantizeFloat(x: number, scale: number, zeroPoint: number): number {
  const q = Math.fround(x / scale);
  if (Number.isNaN(q)) return zeroPoint;
  return Math.min(127, Math.max(-128, Math.max(-256, Math.min(256, roundHalfAway(q))) + zeroPoint));
}

export const quantize: OpModule<"QUANTIZE", QuantizeParams> = {
  kind: "QUANTIZE",
  builtinCode: 114,
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.QuantizeOptions, []),

  validate(node, graph, bag, site) {
    const input = graph.tensors[node.inputs[0] ?? -1];
    if (input?.dtype !== "float32") {
      expectUnary(node, graph, bag, site);
      return;
    }
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const out = node.outputs[0]!;
    if (!graph.inputs.includes(input.id)) {
      bag.add("TC112", "QUANTIZE from float32 is supported at the model's input only (tinyc runs int8 inside)", { ...site, tensor: input.name });
      return;
    }
    if (expectInt8Activation(graph, out, "output", bag, site)) expectShape(graph, out, input.shape, "output", bag, site);
  },

  prepare(node, graph) {
    const input = tensorOf(graph, node.inputs[0]!);
    const qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    if (input.dtype === "float32") return { from: "float32", scale: qo.scale, zeroPoint: qo.zeroPoint };
    const qi = scalarQuant(input);
    return { from: "int8", inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, q: quantizeMultiplier(qi.scale / qo.scale), actMin: -128, actMax: 127 };
  },

  evaluate(_node, _graph, p, [input]) {
    return p.from === "float32" ? Int8Array.from(input!, (x) => quantizeFloat(x, p.scale, p.zeroPoint)) : requantize(p, input!);
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
