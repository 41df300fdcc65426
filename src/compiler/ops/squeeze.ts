/**
 * SQUEEZE: drops the listed dimensions of size 1 (all of them when the list is
 * empty; negative dimensions count from the end). A view of the input's bytes.
 */
import * as fb from "../tflite/schema.js";
import { int32Vector, optionsTable } from "../tflite/options.js";
import { expectInputCount, tensorOf } from "./common.js";
import { validateView } from "./view.js";
import type { OpModule } from "./types.js";

export const squeeze: OpModule<"SQUEEZE", Record<string, never>> = {
  kind: "SQUEEZE",
  aliasesInput: true,

  parseOptions(t) {
    return { squeezeDims: t?.i32Vector(fb.SqueezeOptions.squeezeDims, "squeeze_dims") ?? [] };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.SqueezeOptions, [{ id: fb.SqueezeOptions.squeezeDims, offset: int32Vector(b, o.squeezeDims) }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const dims = node.options.squeezeDims.map((d) => (d < 0 ? d + shape.length : d));
    if (dims.some((d) => d < 0 || d >= shape.length || shape[d] !== 1)) {
      bag.add("TC115", "squeezeDims", { dims: node.options.squeezeDims.join(", "), shape: shape.join(", ") }, site);
      return;
    }
    const kept = shape.filter((d, i) => (dims.length === 0 ? d !== 1 : !dims.includes(i)));
    validateView(node.inputs[0]!, node.outputs[0]!, graph, bag, site, kept);
  },

  prepare: () => ({}),
  evaluate: (_node, _graph, _p, [input]) => input!,
  macs: () => 0,
};
