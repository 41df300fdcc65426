/**
 * GATHER (batch_dims 0): for each constant index, the input's slice at that
 * position along `axis` (reference_ops::Gather; out-of-range indices are
 * refused at compile time, as TensorFlow Lite Micro fails at run time). The
 * output's shape is the input's with the axis replaced by the indices' shape.
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { constIndices, emptyLike, expectInputCount, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import { normalAxis } from "./axis_split.js";
import type { OpModule } from "./types.js";

export interface GatherParams {
  /** Product of the input's dimensions before the axis. */
  readonly outer: number;
  /** Elements of one slice (the dimensions after the axis). */
  readonly inner: number;
  readonly axisSize: number;
  readonly indices: readonly number[];
}

export const gather: OpModule<"GATHER", GatherParams> = {
  kind: "GATHER",

  parseOptions(t) {
    return { axis: t?.i32(fb.GatherOptions.axis) ?? 0, batchDims: t?.i32(fb.GatherOptions.batchDims) ?? 0 };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.GatherOptions, [{ id: fb.GatherOptions.axis, i32: o.axis }, { id: fb.GatherOptions.batchDims, i32: o.batchDims }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const input = tensorOf(graph, node.inputs[0]!), out = tensorOf(graph, node.outputs[0]!);
    const indices = constIndices(graph, node.inputs[1]!, "the indices operand", bag, site);
    if (!indices) return;
    if (input.dtype !== out.dtype || !["int8", "int32", "float32"].includes(input.dtype)) {
      bag.add("TC111", "gather", { from: input.dtype, to: out.dtype }, { ...site, tensor: input.name });
      return;
    }
    const axis = normalAxis(node.options.axis, input.shape.length);
    if (axis === undefined || node.options.batchDims !== 0) {
      bag.add("TC115", "gatherAxis", { axis: node.options.axis, batchDims: node.options.batchDims, shape: input.shape.join(", ") }, site);
      return;
    }
    const bad = [...indices].find((i) => i < 0 || i >= input.shape[axis]!);
    if (bad !== undefined) {
      bag.add("TC115", "gatherIndex", { index: bad, axis, size: input.shape[axis]! }, { ...site, tensor: tensorOf(graph, node.inputs[1]!).name });
      return;
    }
    if (input.dtype === "int8" && !expectSameQuant(graph, input.id, out.id, "the input", bag, site)) return;
    const shape = [...input.shape.slice(0, axis), ...tensorOf(graph, node.inputs[1]!).shape, ...input.shape.slice(axis + 1)];
    expectShape(graph, out.id, shape, "output", bag, site);
  },

  prepare(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const axis = normalAxis(node.options.axis, shape.length)!;
    return {
      outer: elementCount(shape.slice(0, axis)), inner: elementCount(shape.slice(axis + 1)), axisSize: shape[axis]!,
      indices: [...indexValues(tensorOf(graph, node.inputs[1]!))],
    };
  },

  evaluate(_node, _graph, p, [input]) {
    const n = p.outer * p.indices.length * p.inner;
    const out = emptyLike(input!, n);
    let o = 0;
    for (let r = 0; r < p.outer; r++) {
      for (const index of p.indices) {
        const from = (r * p.axisSize + index) * p.inner;
        out.set(input!.subarray(from, from + p.inner) as never, o);
        o += p.inner;
      }
    }
    return out;
  },

  macs: () => 0,
};
