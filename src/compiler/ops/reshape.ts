/**
 * RESHAPE: the output is the input's bytes under another shape. The planner
 * places the output on the input's bytes, so no code runs for it.
 */
import { elementCount, scalarQuant } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { expectInt8Activation, tensorOf } from "./common.js";
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
      bag.add("TC103", `has ${node.inputs.length} inputs; expected the data and an optional shape tensor`, site);
      return;
    }
    const inId = node.inputs[0]!, outId = node.outputs[0]!;
    if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, outId, "output", bag, site)) return;
    const input = tensorOf(graph, inId), output = tensorOf(graph, outId);
    if (input.data) bag.add("TC115", "reshape of a constant tensor is not supported", { ...site, tensor: input.name });
    if (elementCount(input.shape) !== elementCount(output.shape)) {
      bag.add("TC117", `reshape from [${input.shape.join(", ")}] to [${output.shape.join(", ")}] changes the element count`, site);
    }
    const qi = scalarQuant(input), qo = scalarQuant(output);
    if (qi.scale !== qo.scale || qi.zeroPoint !== qo.zeroPoint) {
      bag.add("TC116", "reshape input and output must share scale and zero point", site);
    }
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
