/**
 * RELU6, int8, standalone: a clamp to [quantized 0, quantized 6] in the input's
 * scale (Relu6Quantized). TensorFlow Lite Micro assumes the output shares the
 * input's quantization without checking; tinyc requires it.
 */
import { elementCount, scalarQuant } from "../ir.js";
import { roundHalfAway } from "../numerics/quantize.js";
import { expectSameQuant, expectUnary, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export interface Relu6Params {
  readonly lower: number;
  readonly upper: number;
}

export const relu6: OpModule<"RELU6", Relu6Params> = {
  kind: "RELU6",
  parseOptions: () => ({}),

  validate(node, graph, bag, site) {
    if (expectUnary(node, graph, bag, site)) expectSameQuant(graph, node.inputs[0]!, node.outputs[0]!, "the input", bag, site);
  },

  prepare(node, graph) {
    const q = scalarQuant(tensorOf(graph, node.inputs[0]!));
    return { lower: q.zeroPoint, upper: Math.min(127, Math.max(-128, roundHalfAway(Math.fround(6 / q.scale)) + q.zeroPoint)) };
  },

  evaluate: (_node, _graph, p, [input]) => Int8Array.from(input!, (x) => Math.min(p.upper, Math.max(p.lower, x))),
  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
