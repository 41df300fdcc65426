/** UNPACK: the input's `num` slices along `axis` (negative counts from the end), each without that axis. */
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectInputCount, tensorOf } from "./common.js";
import { axisSplitParams, evaluateAxisSplit, normalAxis, validateAxisSplit, type AxisSplitParams } from "./axis_split.js";
import type { OpModule } from "./types.js";

export const unpack: OpModule<"UNPACK", AxisSplitParams> = {
  kind: "UNPACK",
  multipleOutputs: true,

  parseOptions(t) {
    return { num: t?.i32(fb.UnpackOptions.num) ?? 0, axis: t?.i32(fb.UnpackOptions.axis) ?? 0 };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.UnpackOptions, [{ id: fb.UnpackOptions.num, i32: o.num }, { id: fb.UnpackOptions.axis, i32: o.axis }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = normalAxis(node.options.axis, shape.length);
    if (axis === undefined || shape[axis] !== node.options.num || node.outputs.length !== node.options.num) {
      bag.add("TC115", "unpack", { axis: node.options.axis, num: node.options.num, outputs: node.outputs.length, shape: shape.join(", ") }, site);
      return;
    }
    validateAxisSplit(node.inputs[0]!, node.outputs, axis, Array<number>(shape[axis]!).fill(1), true, graph, bag, site);
  },

  prepare(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = normalAxis(node.options.axis, shape.length)!;
    return axisSplitParams(shape, axis, Array<number>(shape[axis]!).fill(1));
  },

  evaluate: (_node, _graph, p, [input]) => evaluateAxisSplit(p, input!),
  macs: () => 0,
};
