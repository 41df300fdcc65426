/**
 * Estimated instructions, for row streaming's overhead bound: what the model
 * costs unstreamed, and what a segment adds (each kernel call beyond one per
 * op, and the share ring-reading kernels add). Each kernel family states its
 * costs (KernelFamily.cost); `tinyc run` measures the real overhead and
 * `npm run bench` prints both.
 */
import { elementCount, type Node } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import { opModule } from "../compiler/ops/index.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import { kernelFor, type Backend } from "../kernels/registry.js";
import { DEFAULT_COST, type KernelCost } from "../kernels/types.js";
import type { Target } from "../targets.js";
import type { Segment } from "./segments.js";

/** The cost table of the family that runs `node`. */
function costOf(p: PreparedGraph, backend: Backend, target: Target, node: Node): KernelCost {
  return kernelFor(backend, { node, graph: p.graph, params: p.params.get(node.index), target })?.family.cost ?? DEFAULT_COST;
}

/** Estimated instructions of one op run whole. */
export function opInstructions(p: PreparedGraph, backend: Backend, target: Target, node: Node): number {
  const c = costOf(p, backend, target, node);
  const outputs = node.outputs.reduce((s, id) => s + elementCount(tensorOf(p.graph, id).shape), 0);
  return Math.max(opModule(node).macs(node, p.graph), outputs) * (c.perWorkOf[node.kind] ?? c.perWork);
}

/** Estimated instructions of the whole model, unstreamed. */
export function modelInstructions(p: PreparedGraph, backend: Backend, target: Target): number {
  return Math.round(p.graph.nodes.reduce((s, node) => s + opInstructions(p, backend, target, node), 0));
}

/** Estimated instructions a segment adds to running its ops whole. */
export function segmentOverhead(p: PreparedGraph, backend: Backend, target: Target, seg: Pick<Segment, "steps" | "schedule">): number {
  let extra = 0;
  seg.steps.forEach((step, k) => {
    const node = p.graph.nodes[step]!, c = costOf(p, backend, target, node);
    const calls = seg.schedule.calls.filter((call) => call.op === k).length;
    extra += (calls - 1) * c.perCall + (c.ringShareOf[node.kind] ?? 0) * opInstructions(p, backend, target, node);
  });
  return Math.round(extra);
}
