/**
 * RELU, int8, standalone: requantize from the input's to the output's scale
 * and clamp below at the output's zero (ReluQuantized; its multiplier is the
 * float32 quotient of the scales, widened to double).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import { expectUnary, tensorOf } from "./common.js";
import { requantize, type RequantParams } from "./requantize.js";
import type { OpModule } from "./types.js";

export const relu: OpModule<"RELU", RequantParams> = {
  kind: "RELU",
  parseOptions: () => ({}),
  validate: (node, graph, bag, site) => void expectUnary(node, graph, bag, site),

  prepare(node, graph) {
    const qi = scalarQuant(tensorOf(graph, node.inputs[0]!)), qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    return {
      inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, q: quantizeMultiplier(Math.fround(qi.scale / qo.scale)),
      actMin: Math.max(-128, qo.zeroPoint), actMax: 127,
    };
  },

  evaluate: (_node, _graph, p, [input]) => requantize(p, input!),
  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
