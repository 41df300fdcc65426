/**
 * FILL: a tensor of constant dims (operand 0) holding one scalar (operand 1),
 * its bytes copied as they are (fill.cc). Its operands are constants in the
 * models that use it, so it folds at compile time; no kernel family runs it.
 */
import { elementCount } from "../ir.js";
import { constIndices, emptyLike, expectInputCount, expectSameQuant, expectShape, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export const fill: OpModule<"FILL", Record<string, never>> = {
  kind: "FILL",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const dims = constIndices(graph, node.inputs[0]!, "the dims operand", bag, site);
    const value = tensorOf(graph, node.inputs[1]!), out = tensorOf(graph, node.outputs[0]!);
    if (!dims) return;
    if (elementCount(value.shape) !== 1 || value.dtype !== out.dtype || !["int8", "int32", "float32"].includes(value.dtype)) {
      bag.add("TC111", "fill", { dtype: out.dtype, valueType: value.dtype, shape: value.shape.join(", ") }, { ...site, tensor: value.name });
      return;
    }
    if (value.dtype === "int8" && !expectSameQuant(graph, value.id, out.id, "the value", bag, site)) return;
    expectShape(graph, out.id, [...dims], "output", bag, site);
  },

  prepare: () => ({}),

  evaluate(node, graph, _p, [, value]) {
    const n = elementCount(tensorOf(graph, node.outputs[0]!).shape);
    const v = value![0]!;
    const out = emptyLike(value!, n);
    return out.fill(v);
  },

  macs: () => 0,
};
