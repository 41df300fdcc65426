/**
 * PADV2: PAD with the value to pad with as a third operand, a constant int8
 * scalar quantized as the input (reference_ops::Pad; without the operand it
 * pads with the zero point, as PAD). fold-pad folds it into a convolution only
 * when that value is the zero point (real 0).
 */
import * as fb from "../tflite/schema.js";
import { scalarQuant } from "../ir.js";
import { optionsTable } from "../tflite/options.js";
import { constInt8, expectInputCount, expectSameQuant, tensorOf } from "./common.js";
import { padParams, padValues, spatialPadding, validatePad, type PadParams } from "./pad.js";
import type { OpModule } from "./types.js";
import type { Graph } from "../ir.js";

/** The int8 value PADV2 pads with. */
export function padV2Value(node: { inputs: readonly number[]; outputs: readonly number[] }, graph: Graph): number {
  const id = node.inputs[2];
  return id === undefined || id < 0 ? scalarQuant(tensorOf(graph, node.outputs[0]!)).zeroPoint : constInt8(tensorOf(graph, id))[0]!;
}

export const padV2: OpModule<"PADV2", PadParams> = {
  kind: "PADV2",
  parseOptions: () => ({}),

  writeOptions(b) {
    return optionsTable(b, fb.BuiltinOptionsType.PadV2Options, []);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 3, bag, site) || !validatePad(node, graph, bag, site)) return;
    const id = node.inputs[2];
    if (id === undefined || id < 0) return;
    const value = tensorOf(graph, id);
    if (!value.data || value.dtype !== "int8" || value.shape.reduce((a, b) => a * b, 1) !== 1) {
      bag.add("TC115", value.data ? "padValue" : "padValueComputed", { dtype: value.dtype, shape: value.shape.join(", ") }, { ...site, tensor: value.name });
      return;
    }
    expectSameQuant(graph, id, node.outputs[0]!, "the constant_values operand", bag, site);
  },

  prepare: (node, graph) => padParams(node, graph, padV2Value(node, graph)),
  evaluate: (_node, _graph, p, [input]) => padValues(p, input!),
  macs: () => 0,
  spatialPadding: (_node, _graph, p) => spatialPadding(p),
};
