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
  for (const id of [...graph.inputs, ...graph.outputs]) {
    const t = tensorOf(graph, id);
    if (t.dtype !== "int8") {
      bag.add(t.dtype === "float32" ? "TC112" : "TC111",
        `model ${graph.inputs.includes(id) ? "input" : "output"} is ${t.dtype}; tinyc needs int8 model inputs and outputs (convert with inference_input_type/inference_output_type = tf.int8)`,
        { file: graph.source, tensor: t.name });
    }
  }
  bag.throwIfAny();
  return graph;
}
