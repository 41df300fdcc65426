/**
 * Legalize: every op validates its operands (dtypes, quantization, shapes,
 * attributes); all problems are collected and reported together.
 */
import { DiagnosticBag } from "../../diagnostics.js";
import type { Graph } from "../ir.js";
import { tensorOf } from "../ops/common.js";
import { opModule } from "../ops/index.js";

export function legalize(graph: Graph): Graph {
  const bag = new DiagnosticBag();
  for (const node of graph.nodes) opModule(node).validate(node, graph, bag, { file: graph.source, op: node.index });
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    bag.add("TC103", `the model has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; tinyc compiles models with one input and one output`, { file: graph.source });
  }
  for (const id of [...graph.inputs, ...graph.outputs]) {
    const t = tensorOf(graph, id);
    // A float interface is fine where QUANTIZE reads it or DEQUANTIZE writes it.
    const floatInterface = t.dtype === "float32" && graph.nodes.some((n) =>
      (n.kind === "QUANTIZE" && n.inputs[0] === id) || (n.kind === "DEQUANTIZE" && n.outputs[0] === id));
    if (t.dtype !== "int8" && !floatInterface) {
      bag.add(t.dtype === "float32" ? "TC112" : "TC111",
        `model ${graph.inputs.includes(id) ? "input" : "output"} is ${t.dtype}; tinyc needs int8 model inputs and outputs, or float32 ones converted by QUANTIZE / DEQUANTIZE (convert with inference_input_type/inference_output_type = tf.int8 or tf.float32)`,
        { file: graph.source, tensor: t.name });
    }
  }
  bag.throwIfAny();
  return graph;
}
