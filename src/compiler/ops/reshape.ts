/**
 * RESHAPE: the output is the input's bytes under the output tensor's shape (a
 * view; see view.ts). The shape operand, when present, only repeats it.
 */
import * as fb from "../tflite/schema.js";
import { validateView } from "./view.js";
import { int32Vector, optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export const reshape: OpModule<"RESHAPE", Record<string, never>> = {
  kind: "RESHAPE",
  aliasesInput: true,

  parseOptions(t) {
    return { newShape: t?.i32Vector(fb.ReshapeOptions.newShape, "new_shape") };
  },

  writeOptions(b, o) {
    const shape = o.newShape ? [{ id: fb.ReshapeOptions.newShape, offset: int32Vector(b, o.newShape) }] : [];
    return optionsTable(b, fb.BuiltinOptionsType.ReshapeOptions, shape);
  },

  validate(node, graph, bag, site) {
    if (node.inputs.length < 1 || node.inputs.length > 2 || node.inputs[0]! < 0) {
      bag.add("TC103", "reshapeInputs", { count: node.inputs.length }, site);
      return;
    }
    validateView(node.inputs[0]!, node.outputs[0]!, graph, bag, site);
  },

  prepare() {
    return {};
  },

  evaluate(_node, _graph, _p, [input]) {
    return input!;
  },

  macs() {
    return 0;
  },
};
