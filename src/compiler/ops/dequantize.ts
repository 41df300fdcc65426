/**
 * DEQUANTIZE, int8 to float32 at a model's float output
 * (reference_ops::Dequantize: scale * (q - zero point); the double product of
 * a float32 scale and a small integer rounds to the same float32 as the float
 * product, which the C kernel computes).
 */
import { elementCount, scalarQuant } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectInputCount, expectInt8Activation, expectShape, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export interface DequantizeParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

export const dequantize: OpModule<"DEQUANTIZE", DequantizeParams> = {
  kind: "DEQUANTIZE",
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.DequantizeOptions, []),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const inId = node.inputs[0]!, out = tensorOf(graph, node.outputs[0]!);
    if (!expectInt8Activation(graph, inId, "input", bag, site)) return;
    if (out.dtype !== "float32") {
      bag.add("TC111", "dequantizeOutput", { dtype: out.dtype }, { ...site, tensor: out.name });
      return;
    }
    if (!graph.outputs.includes(out.id)) {
      bag.add("TC112", "dequantizeInside", {}, { ...site, tensor: out.name });
      return;
    }
    expectShape(graph, out.id, tensorOf(graph, inId).shape, "output", bag, site);
  },

  prepare(node, graph) {
    const q = scalarQuant(tensorOf(graph, node.inputs[0]!));
    return { scale: q.scale, zeroPoint: q.zeroPoint };
  },

  evaluate(_node, _graph, p, [input]) {
    return Float32Array.from(input!, (q) => Math.fround(p.scale * (q - p.zeroPoint)));
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
