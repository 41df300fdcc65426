/**
 * Every op left after folding needs a kernel in the backend's family chain;
 * ops that tinyc only evaluates at compile time (SHAPE, shape arithmetic on
 * int32) are refused here with the tensor that keeps them from folding.
 */
import { DiagnosticBag } from "../diagnostics.js";
import type { Graph } from "../compiler/ir.js";
import { runtimeInputs } from "../compiler/passes/fold_constants.js";
import type { LowerNode } from "./fold_pad.js";

export function requireKernels(graph: Graph, lowerNode: LowerNode): Graph {
  const bag = new DiagnosticBag();
  for (const node of graph.nodes) {
    const op = lowerNode(node, graph);
    if (op.aliasesInput || op.kernel) continue;
    const live = runtimeInputs(graph, node.inputs);
    bag.add("TC110", "compileTimeOnly", { kind: node.kind, tensor: live[0]?.name ?? "?", dtype: live[0]?.dtype ?? "?" }, { file: graph.source, op: node.index, tensor: live[0]?.name });
  }
  bag.throwIfAny();
  return graph;
}
