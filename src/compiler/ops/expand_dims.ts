/**
 * EXPAND_DIMS: inserts a dimension of size 1 at a constant axis (negative
 * counts from the end of the output's dimensions). A view of the input's bytes.
 */
import { constIndices, expectInputCount, tensorOf } from "./common.js";
import { validateView } from "./view.js";
import type { OpModule } from "./types.js";

export const expandDims: OpModule<"EXPAND_DIMS", Record<string, never>> = {
  kind: "EXPAND_DIMS",
  aliasesInput: true,

  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const axes = constIndices(graph, node.inputs[1]!, "the axis operand", bag, site);
    if (!axes) return;
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = axes[0]! < 0 ? axes[0]! + shape.length + 1 : axes[0]!;
    if (axes.length !== 1 || axis < 0 || axis > shape.length) {
      bag.add("TC115", "expandAxis", { axes: [...axes].join(", "), rank: shape.length + 1 }, site);
      return;
    }
    validateView(node.inputs[0]!, node.outputs[0]!, graph, bag, site, [...shape.slice(0, axis), 1, ...shape.slice(axis)]);
  },

  prepare: () => ({}),
  evaluate: (_node, _graph, _p, [input]) => input!,
  macs: () => 0,
};
