/**
 * QUANTIZE, int8 to int8 (a requantization between two scales; reference_ops::
 * Requantize with the double quotient of the scales). Float input (a model's
 * float interface) is refused for now with its own code.
 */
import { elementCount, scalarQuant } from "../ir.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { expectUnary, tensorOf } from "./common.js";
import { emitRequantize, requantize, type RequantParams } from "./requantize.js";
import { optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export const quantize: OpModule<"QUANTIZE", RequantParams> = {
  kind: "QUANTIZE",
  builtinCode: 114,
  parseOptions: () => ({}),
  writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.QuantizeOptions, []),

  validate(node, graph, bag, site) {
    const input = graph.tensors[node.inputs[0] ?? -1];
    if (input && input.dtype === "float32") {
      bag.add("TC112", "QUANTIZE from float32: float model input is not supported yet; convert the model with int8 input (inference_input_type = tf.int8)", { ...site, tensor: input.name });
      return;
    }
    expectUnary(node, graph, bag, site);
  },

  prepare(node, graph) {
    const qi = scalarQuant(tensorOf(graph, node.inputs[0]!)), qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    return { inputZeroPoint: qi.zeroPoint, outputZeroPoint: qo.zeroPoint, q: quantizeMultiplier(qi.scale / qo.scale), actMin: -128, actMax: 127 };
  },

  evaluate: (_node, _graph, p, [input]) => requantize(p, input!),
  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
  scratchBytes: () => 0,

  emit(node, graph, p, ctx) {
    if (ctx.backend === "cmsis-nn") ctx.note("runs tinyc's portable kernel: CMSIS-NN has no int8 requantize");
    emitRequantize(ctx, node.index, tensorOf(graph, node.inputs[0]!).shape, p, ctx.tensor(node.inputs[0]!), ctx.tensor(node.outputs[0]!));
  },
};
