/** SPLIT: the input (operand 1) in `num_splits` equal pieces along a constant axis (operand 0). */
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { constIndices, expectInputCount, indexValues, tensorOf } from "./common.js";
import { axisSplitParams, evaluateAxisSplit, normalAxis, validateAxisSplit, type AxisSplitParams } from "./axis_split.js";
import type { OpModule } from "./types.js";

export const split: OpModule<"SPLIT", AxisSplitParams> = {
  kind: "SPLIT",
  multipleOutputs: true,

  parseOptions(t) {
    return { numSplits: t?.i32(fb.SplitOptions.numSplits) ?? 0 };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.SplitOptions, [{ id: fb.SplitOptions.numSplits, i32: o.numSplits }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const axes = constIndices(graph, node.inputs[0]!, "the axis operand", bag, site);
    if (!axes) return;
    const shape = tensorOf(graph, node.inputs[1]!).shape;
    const axis = axes.length === 1 ? normalAxis(axes[0]!, shape.length) : undefined;
    const n = node.outputs.length;
    if (axis === undefined) {
      bag.add("TC115", "oneAxis", { axes: [...axes].join(", "), shape: shape.join(", ") }, site);
      return;
    }
    if (node.options.numSplits !== n || shape[axis]! % n !== 0) {
      bag.add("TC115", "numSplits", { numSplits: node.options.numSplits, outputs: n, axis, size: shape[axis]! }, site);
      return;
    }
    validateAxisSplit(node.inputs[1]!, node.outputs, axis, Array<number>(n).fill(shape[axis]! / n), false, graph, bag, site);
  },

  prepare(node, graph) {
    const shape = tensorOf(graph, node.inputs[1]!).shape;
    const axis = normalAxis(indexValues(tensorOf(graph, node.inputs[0]!))[0]!, shape.length)!;
    const n = node.outputs.length;
    return axisSplitParams(shape, axis, Array<number>(n).fill(shape[axis]! / n));
  },

  evaluate: (_node, _graph, p, inputs) => evaluateAxisSplit(p, inputs[1]!),
  macs: () => 0,
};
