/**
 * SPLIT_V: the input in pieces of constant sizes (operand 1; one entry may be
 * −1, the rest of the dimension) along a constant axis (operand 2).
 */
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { constIndices, expectInputCount, indexValues, tensorOf } from "./common.js";
import { axisSplitParams, evaluateAxisSplit, normalAxis, validateAxisSplit, type AxisSplitParams } from "./axis_split.js";
import type { OpModule } from "./types.js";

/** The sizes with a −1 resolved, or undefined when they do not cut `dim` exactly. */
function pieceSizes(sizes: ArrayLike<number>, dim: number): number[] | undefined {
  const v = Array.from(sizes);
  const unknown = v.filter((s) => s === -1).length;
  if (unknown > 1 || v.some((s) => s < -1)) return undefined;
  const known = v.reduce((sum, s) => (s === -1 ? sum : sum + s), 0);
  const resolved = v.map((s) => (s === -1 ? dim - known : s));
  return resolved.every((s) => s >= 0) && resolved.reduce((a, b) => a + b, 0) === dim ? resolved : undefined;
}

export const splitV: OpModule<"SPLIT_V", AxisSplitParams> = {
  kind: "SPLIT_V",
  multipleOutputs: true,

  parseOptions(t) {
    return { numSplits: t?.i32(fb.SplitVOptions.numSplits) ?? 0 };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.SplitVOptions, [{ id: fb.SplitVOptions.numSplits, i32: o.numSplits }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 3, 3, bag, site)) return;
    const sizes = constIndices(graph, node.inputs[1]!, "the size_splits operand", bag, site);
    const axes = constIndices(graph, node.inputs[2]!, "the axis operand", bag, site);
    if (!sizes || !axes) return;
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = axes.length === 1 ? normalAxis(axes[0]!, shape.length) : undefined;
    if (axis === undefined) {
      bag.add("TC115", "oneAxis", { axes: [...axes].join(", "), shape: shape.join(", ") }, site);
      return;
    }
    const pieces = pieceSizes(sizes, shape[axis]!);
    if (!pieces || pieces.length !== node.outputs.length) {
      bag.add("TC115", "sizeSplits", { sizes: [...sizes].join(", "), axis, size: shape[axis]!, pieces: node.outputs.length }, site);
      return;
    }
    validateAxisSplit(node.inputs[0]!, node.outputs, axis, pieces, false, graph, bag, site);
  },

  prepare(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = normalAxis(indexValues(tensorOf(graph, node.inputs[2]!))[0]!, shape.length)!;
    return axisSplitParams(shape, axis, pieceSizes(indexValues(tensorOf(graph, node.inputs[1]!)), shape[axis]!)!);
  },

  evaluate: (_node, _graph, p, inputs) => evaluateAxisSplit(p, inputs[0]!),
  macs: () => 0,
};
