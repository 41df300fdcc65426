/**
 * SHAPE: the input's dimensions as an int32 (or int64) vector. tinyc's shapes
 * are static, so SHAPE always folds to a constant at compile time (the
 * fold-constants pass); it never runs on the device.
 */
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectInputCount, expectShape, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export const shape: OpModule<"SHAPE", Record<string, never>> = {
  kind: "SHAPE",
  readsShapeOnly: true,
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.ShapeOptions, []),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const out = tensorOf(graph, node.outputs[0]!);
    if (out.dtype !== "int32" && out.dtype !== "int64") {
      bag.add("TC111", "shapeOutput", { dtype: out.dtype }, { ...site, tensor: out.name });
      return;
    }
    expectShape(graph, out.id, [tensorOf(graph, node.inputs[0]!).shape.length], "output", bag, site);
  },

  prepare: () => ({}),
  evaluate: (node, graph) => Int32Array.from(tensorOf(graph, node.inputs[0]!).shape),
  macs: () => 0,
};
