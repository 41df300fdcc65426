/**
 * TILE: the input repeated `multiples[d]` times along each dimension d
 * (reference_ops::Tile; the multiples are constant). tinyc folds it when the
 * input is constant too (SSD anchor grids); no kernel family runs it yet.
 */
import { elementCount } from "../ir.js";
import { constIndices, emptyLike, expectInputCount, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export interface TileParams {
  readonly inDims: readonly number[];
  readonly outDims: readonly number[];
}

export const tile: OpModule<"TILE", TileParams> = {
  kind: "TILE",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const input = tensorOf(graph, node.inputs[0]!), out = tensorOf(graph, node.outputs[0]!);
    const multiples = constIndices(graph, node.inputs[1]!, "the multiples operand", bag, site);
    if (!multiples) return;
    if (input.dtype !== out.dtype || !["int8", "int32", "float32"].includes(input.dtype)) {
      bag.add("TC111", "tile", { from: input.dtype, to: out.dtype }, { ...site, tensor: input.name });
      return;
    }
    if (multiples.length !== input.shape.length || multiples.some((m) => m < 0)) {
      bag.add("TC115", "multiples", { multiples: [...multiples].join(", "), rank: input.shape.length }, site);
      return;
    }
    if (input.dtype === "int8" && !expectSameQuant(graph, input.id, out.id, "the input", bag, site)) return;
    expectShape(graph, out.id, input.shape.map((d, a) => d * multiples[a]!), "output", bag, site);
  },

  prepare(node, graph) {
    const inDims = tensorOf(graph, node.inputs[0]!).shape;
    const multiples = indexValues(tensorOf(graph, node.inputs[1]!));
    return { inDims, outDims: inDims.map((d, a) => d * multiples[a]!) };
  },

  evaluate(_node, _graph, p, [input]) {
    const n = elementCount(p.outDims);
    const out = emptyLike(input!, n);
    const rank = p.outDims.length;
    const inStride = p.inDims.map((_, d) => elementCount(p.inDims.slice(d + 1)));
    for (let o = 0; o < n; o++) {
      let rest = o, at = 0;
      for (let d = rank - 1; d >= 0; d--) {
        const i = rest % p.outDims[d]!;
        rest = Math.floor(rest / p.outDims[d]!);
        at += (i % p.inDims[d]!) * inStride[d]!;
      }
      out[o] = input![at]!;
    }
    return out;
  },

  macs: () => 0,
};
