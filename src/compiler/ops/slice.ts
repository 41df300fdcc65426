/**
 * SLICE: `size` elements from `begin` along each dimension (a size of −1 runs
 * to the end), both constant (reference_ops::Slice, up to 5 dimensions). The
 * same strided copy as STRIDED_SLICE with unit strides.
 */
import { elementCount } from "../ir.js";
import { constIndices, expectInputCount, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import { sliceValues, type StridedSliceParams } from "./strided_slice.js";
import type { OpModule } from "./types.js";

const MAX_DIMS = 5;

function ranges(shape: readonly number[], begin: ArrayLike<number>, size: ArrayLike<number>) {
  const starts = shape.map((_, a) => begin[a]!);
  const stops = shape.map((d, a) => (size[a] === -1 ? d : begin[a]! + size[a]!));
  return { starts, stops };
}

export const slice: OpModule<"SLICE", StridedSliceParams> = {
  kind: "SLICE",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 3, 3, bag, site)) return;
    const [inId, bId, sId] = node.inputs as [number, number, number];
    const input = tensorOf(graph, inId), out = tensorOf(graph, node.outputs[0]!);
    if (input.dtype !== out.dtype || (input.dtype !== "int8" && input.dtype !== "int32")) {
      bag.add("TC111", "slice", { op: "SLICE", from: input.dtype, to: out.dtype }, { ...site, tensor: input.name });
      return;
    }
    if (input.dtype === "int8" && !expectSameQuant(graph, inId, out.id, "the input", bag, site)) return;
    const begin = constIndices(graph, bId, "begin", bag, site), size = constIndices(graph, sId, "size", bag, site);
    if (!begin || !size) return;
    const shape = input.shape;
    const { starts, stops } = ranges(shape, begin, size);
    if (shape.length > MAX_DIMS || begin.length !== shape.length || size.length !== shape.length
      || shape.some((d, a) => starts[a]! < 0 || size[a]! < -1 || stops[a]! > d || stops[a]! < starts[a]!)) {
      bag.add("TC115", "slice", { begin: [...begin].join(", "), size: [...size].join(", "), shape: shape.join(", "), max: MAX_DIMS }, site);
      return;
    }
    expectShape(graph, out.id, shape.map((_, a) => stops[a]! - starts[a]!), "output", bag, site);
  },

  prepare(node, graph) {
    const [inId, bId, sId] = node.inputs as [number, number, number];
    const shape = tensorOf(graph, inId).shape;
    const { starts, stops } = ranges(shape, indexValues(tensorOf(graph, bId)), indexValues(tensorOf(graph, sId)));
    return { starts, stops, strides: shape.map(() => 1), inStride: shape.map((_, d) => elementCount(shape.slice(d + 1))) };
  },

  evaluate: (node, graph, p, [input]) => sliceValues(p, input!, tensorOf(graph, node.outputs[0]!).dtype === "int32"),
  macs: () => 0,
};
