/**
 * Every op left after folding needs a kernel in the backend's family chain;
 * ops that tinyc only evaluates at compile time (SHAPE, shape arithmetic on
 * int32) are refused here with the tensor that keeps them from folding.
 */
import { DiagnosticBag } from "../../diagnostics.js";
import { findKernel } from "../../kernels/registry.js";
import type { Target } from "../../targets.js";
import type { Graph } from "../ir.js";
import { opModule } from "../ops/index.js";
import { runtimeInputs } from "./fold_constants.js";

export function requireKernels(graph: Graph, backend: string, target: Target): Graph {
  const bag = new DiagnosticBag();
  for (const node of graph.nodes) {
    const site = { file: graph.source, op: node.index };
    if (opModule(node).aliasesInput || findKernel(backend, { node, graph, params: opModule(node).prepare(node, graph), target })) continue;
    const live = runtimeInputs(graph, node.inputs);
    bag.add("TC110", `${node.kind} runs only at compile time here (when its inputs are constant): its input '${live[0]?.name ?? "?"}' (${live[0]?.dtype ?? "?"}) is computed at run time, and no kernel family runs ${node.kind} on it`, { ...site, tensor: live[0]?.name });
  }
  bag.throwIfAny();
  return graph;
}
