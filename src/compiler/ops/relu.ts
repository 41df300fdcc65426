/**
 * RELU, int8, standalone: requantize from the input's to the output's scale
 * and clamp below at the output's zero (ReluQuantized; its multiplier is the
 * float32 quotient of the scales, widened to double).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import { expectUnary, tensorOf } from "./common.js";
import { portableFallback } from "./fallback.js";
import { emitRequantize, requantize, type RequantParams } from "./requantize.js";
import { elementwiseOverlap } from "./margins.js";
import type { OpModule } from "./types.js";

export const relu: OpModule<"RELU", RequantParams> = {
  kind: "RELU",
  builtinCode: 19,
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
  scratchBytes: () => 0,

  emit(node, graph, p, ctx) {
    portableFallback(ctx, "CMSIS-NN's ReLU clamps raw int8 values and ignores scale and zero point");
    emitRequantize(ctx, node.index, tensorOf(graph, node.inputs[0]!).shape, p, ctx.tensor(node.inputs[0]!), ctx.tensor(node.outputs[0]!));
  },

  overlap: () => elementwiseOverlap([0]),
};
