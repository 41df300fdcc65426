/**
 * QUANTIZE: a requantization between two scales (reference_ops::Requantize
 * with the double quotient of the scales) from int8 to int8, from a model's
 * uint8 input to int8, or from int8 to a model's uint8 output; or float32 to
 * int8 at a model's float input (reference_ops::AffineQuantize: round(x /
 * scale) half away from zero, in float32, plus the zero point, clamped).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { quantizeMultiplier, roundHalfAway } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectActivation, expectInputCount, expectInt8Activation, expectShape, expectUnary, tensorOf } from "./common.js";
import { requantize, type RequantParams } from "./requantize.js";
import type { OpModule } from "./types.js";

/** The 8-bit types a requantizing QUANTIZE converts between. */
export type Int8Like = "int8" | "uint8";

export type QuantizeParams =
  | ({ readonly from: Int8Like; readonly to: Int8Like } & RequantParams)
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
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.QuantizeOptions, []),

  validate(node, graph, bag, site) {
    const input = graph.tensors[node.inputs[0] ?? -1], output = graph.tensors[node.outputs[0] ?? -1];
    if (input?.dtype === "int8" && output?.dtype !== "uint8") {
      expectUnary(node, graph, bag, site);
      return;
    }
    if (!expectInputCount(node.inputs, 1, 1, bag, site) || !input || !output) return;
    // The 8-bit and float interfaces exist only at the model's edges: tinyc runs int8 inside.
    if (input.dtype === "float32" || input.dtype === "uint8") {
      if (!graph.inputs.includes(input.id)) {
        if (input.dtype === "float32") bag.add("TC112", "quantizeInside", {}, { ...site, tensor: input.name });
        else bag.add("TC111", "quantizeInside", { dtype: input.dtype }, { ...site, tensor: input.name });
        return;
      }
      if (input.dtype === "uint8" && !expectActivation(graph, input.id, "input", "uint8", bag, site)) return;
      if (expectInt8Activation(graph, output.id, "output", bag, site)) expectShape(graph, output.id, input.shape, "output", bag, site);
      return;
    }
    if (output.dtype === "uint8" && input.dtype === "int8") {
      if (!graph.outputs.includes(output.id)) {
        bag.add("TC111", "quantizeToUint8", {}, { ...site, tensor: output.name });
        return;
      }
      if (expectInt8Activation(graph, input.id, "input", bag, site) && expectActivation(graph, output.id, "output", "uint8", bag, site)) {
        expectShape(graph, output.id, input.shape, "output", bag, site);
      }
      return;
    }
    bag.add("TC111", "quantize", { from: input.dtype, to: output.dtype }, { ...site, tensor: input.name });
  },

  prepare(node, graph) {
    const input = tensorOf(graph, node.inputs[0]!), output = tensorOf(graph, node.outputs[0]!);
    const qo = scalarQuant(output);
    if (input.dtype === "float32") return { from: "float32", scale: qo.scale, zeroPoint: qo.zeroPoint };
    const qi = scalarQuant(input);
    const to: Int8Like = output.dtype === "uint8" ? "uint8" : "int8";
    return {
      from: input.dtype === "uint8" ? "uint8" : "int8", to, inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint,
      q: quantizeMultiplier(qi.scale / qo.scale), actMin: to === "uint8" ? 0 : -128, actMax: to === "uint8" ? 255 : 127,
    };
  },

  evaluate(_node, _graph, p, [input]) {
    return p.from === "float32" ? Int8Array.from(input!, (x) => quantizeFloat(x, p.scale, p.zeroPoint)) : requantize(p, input!, p.to);
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
