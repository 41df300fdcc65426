/**
 * Constant folding: an op whose inputs are all constant, or that reads only
 * static shapes (SHAPE), is evaluated at compile time by the reference (so
 * the bytes are the reference's by construction) and its output becomes a
 * constant tensor; the op is removed. Shape arithmetic such as Keras's
 * `reshape(x, [tf.shape(x)[0], -1])` (SHAPE → STRIDED_SLICE → PACK → RESHAPE)
 * disappears this way; so do FILL and TILE on constant operands, and an op
 * whose operands (a TILE's multiples, a FILL's dims) only such a chain
 * computes. It runs before legalize, in the ops' order, and folds an op only
 * once it validates against the constants folded before it. Model outputs are
 * never folded away.
 */
import { DiagnosticBag } from "../../diagnostics.js";
import { elementCount, type Graph, type Tensor } from "../ir.js";
import { checkOp } from "./legalize.js";
import { constData, encodeData, tensorOf } from "../ops/common.js";
import { opModule } from "../ops/index.js";
import { outputValues } from "../ops/types.js";
import type { PassNote } from "./notes.js";

/** A short rendering of a folded value for the report. */
function describe(t: Tensor, values: ArrayLike<number>): string {
  const n = elementCount(t.shape);
  return n <= 8 ? `${t.dtype} [${Array.from(values).join(", ")}]` : `${t.dtype} [${t.shape.join("x")}] (${n} values)`;
}

export function foldConstants(graph: Graph): { graph: Graph; notes: PassNote[] } {
  const tensors = [...graph.tensors];
  const nodes = [];
  const notes: PassNote[] = [];
  for (const node of graph.nodes) {
    const m = opModule(node);
    const outs = node.outputs.map((id) => tensors[id]!);
    const inputs = node.inputs.filter((id) => id >= 0).map((id) => tensors[id]!);
    const foldable = outs.every((out) => !graph.outputs.includes(out.id) && !out.data) && (m.readsShapeOnly || inputs.every((t) => t.data !== undefined));
    const g: Graph = { ...graph, tensors };
    // An op is evaluated only once it validates against the constants folded so far; legalize reports those that do not.
    const checked = foldable ? checkOp(node, g, new DiagnosticBag()) : undefined;
    if (!checked) {
      nodes.push(node);
      continue;
    }
    const results = outputValues(m.evaluate(node, g, checked.params, node.inputs.map((id) => (id >= 0 && tensors[id]!.data ? constData(tensors[id]!) : new Int8Array(0)))));
    outs.forEach((out, k) => {
      tensors[out.id] = { ...out, data: encodeData(results[k]!, out.dtype) };
      notes.push({ pass: "fold-constants", op: node.index, kind: node.kind, message: `evaluated at compile time: '${out.name}' = ${describe(out, results[k]!)}` });
    });
  }
  return { graph: { ...graph, tensors, nodes }, notes };
}

/** Tensors read by an op that are still computed at run time (for messages about ops that only fold). */
export function runtimeInputs(graph: Graph, inputs: readonly number[]): Tensor[] {
  return inputs.filter((id) => id >= 0).map((id) => tensorOf(graph, id)).filter((t) => !t.data);
}
