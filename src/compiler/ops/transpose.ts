/**
 * TRANSPOSE, int8: output dimension d is input dimension perm[d], for any
 * permutation of up to 6 dimensions (reference_ops::Transpose, which TensorFlow
 * Lite Micro runs for ranks 1 to 6); the values only move, so the output keeps
 * the input's scale and zero point (NCHW ↔ NHWC at a PyTorch model's input,
 * [1, H, W, C] → [1, C, H, W] before a global pooling).
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { constIndices, expectInputCount, expectInt8Activation, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import { MAX_RANK } from "./shapes.js";
import type { OpModule } from "./types.js";

export interface TransposeParams {
  /** Output dims, padded at the front to 6 with 1s. */
  readonly outDims: readonly number[];
  /** For each (padded) output dim, the input's element stride along the input dim it comes from. */
  readonly inStride: readonly number[];
}

export const transpose: OpModule<"TRANSPOSE", TransposeParams> = {
  kind: "TRANSPOSE",
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.TransposeOptions, []),

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
    const [inId, permId] = node.inputs as [number, number];
    const out = node.outputs[0]!;
    if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, out, "output", bag, site)) return;
    if (!expectSameQuant(graph, inId, out, "the input", bag, site)) return;
    // TensorFlow Lite (Micro) reads the permutation as int32 only.
    if (tensorOf(graph, permId).dtype !== "int32") {
      bag.add("TC115", "permutationType", { dtype: tensorOf(graph, permId).dtype }, { ...site, tensor: tensorOf(graph, permId).name });
      return;
    }
    const perm = constIndices(graph, permId, "the permutation", bag, site);
    if (!perm) return;
    const shape = tensorOf(graph, inId).shape;
    const sorted = [...perm].sort((a, b) => a - b);
    if (shape.length > MAX_RANK || perm.length !== shape.length || sorted.some((v, i) => v !== i)) {
      bag.add("TC115", "permutation", { perm: [...perm].join(", "), rank: shape.length, max: MAX_RANK }, site);
      return;
    }
    expectShape(graph, out, [...perm].map((p) => shape[p]!), "output", bag, site);
  },

  prepare(node, graph) {
    const shape = tensorOf(graph, node.inputs[0]!).shape;
    const perm = indexValues(tensorOf(graph, node.inputs[1]!));
    const stride = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
    const lead = MAX_RANK - shape.length;
    return {
      outDims: [...Array<number>(lead).fill(1), ...[...perm].map((p) => shape[p]!)],
      inStride: [...Array<number>(lead).fill(0), ...[...perm].map((p) => stride[p]!)],
    };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(elementCount(p.outDims));
    const [d0, d1, d2, d3, d4, d5] = p.outDims as [number, number, number, number, number, number];
    const [s0, s1, s2, s3, s4, s5] = p.inStride as [number, number, number, number, number, number];
    let k = 0;
    for (let a = 0; a < d0; a++) for (let b = 0; b < d1; b++) for (let c = 0; c < d2; c++)
      for (let d = 0; d < d3; d++) for (let e = 0; e < d4; e++) for (let f = 0; f < d5; f++)
        out[k++] = input![a * s0 + b * s1 + c * s2 + d * s3 + e * s4 + f * s5]!;
    return out;
  },

  macs: () => 0,
};
