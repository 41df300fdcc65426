/**
 * Lowering, once: the stage between the front end and the planner. For each
 * op it decides, a single time, its kernel (the backend's, or a fallback's and
 * why), and reads off that kernel and the op's module every fact later stages
 * need (lower/types.ts). PAD folding and the check that every op has a kernel
 * are part of it, because both depend on the kernel chosen. Each op is
 * prepared once: the front end's parameters are reused, and only an op PAD
 * folding rewrites is prepared anew.
 */
import type { Graph, Node } from "../compiler/ir.js";
import { opModule } from "../compiler/ops/index.js";
import type { PassNote } from "../compiler/passes/notes.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import { opCost } from "../kernels/cost.js";
import { findKernel, kernelFamily } from "../kernels/registry.js";
import type { KernelOp } from "../kernels/types.js";
import type { Target } from "../targets.js";
import { entryPoints } from "./entry.js";
import { foldPad } from "./fold_pad.js";
import { requireKernels } from "./require_kernels.js";
import type { LoweredGraph, LoweredOp } from "./types.js";

/** Lowers a prepared graph for a backend (a kernel family and its fallbacks) on a target. */
export function lower(p: PreparedGraph, backend: string, target: Target): { lowered: LoweredGraph; notes: readonly PassNote[] } {
  const given = new Map<Node, unknown>(p.graph.nodes.map((n) => [n, p.params.get(n.index)]));
  const done = new Map<Node, LoweredOp>();
  const lowerNode = (node: Node, graph: Graph): LoweredOp => {
    let op = done.get(node);
    if (!op) done.set(node, (op = lowerOp(node, graph, given.has(node) ? given.get(node) : opModule(node).prepare(node, graph), backend, target)));
    return op;
  };
  const folded = foldPad(p.graph, lowerNode); //             PAD → the convolution's own padding, where its kernel takes it
  const graph = requireKernels(folded.graph, lowerNode); //  every op left has a kernel
  const ops = new Map(graph.nodes.map((n) => [n.index, lowerNode(n, graph)]));
  return { lowered: { graph, ops, backend, noRowStreaming: kernelFamily(backend).noRowStreaming }, notes: folded.notes };
}

/** One op's facts, from its module and the kernel chosen for it. */
export function lowerOp(node: Node, graph: Graph, params: unknown, backend: string, target: Target): LoweredOp {
  const m = opModule(node);
  const op: KernelOp = { node, graph, params, target };
  const choice = findKernel(backend, op);
  const k = choice?.kernel, typed = op as KernelOp<never>;
  return {
    node, params,
    kernel: choice && {
      family: choice.family.name, describes: choice.family.describes, kernel: choice.kernel, note: choice.note,
      entry: entryPoints(choice.kernel, node, graph, params, target),
    },
    scratchBytes: k?.scratchBytes?.(typed) ?? 0,
    overlap: k?.overlap?.(typed) ?? [],
    stridedOutput: k?.stridedOutput?.(typed) ?? false,
    explicitPadding: k?.explicitPadding?.(typed) ?? false,
    rows: m.rows && k?.ringRows?.(typed) ? m.rows(node, graph, params) : undefined,
    slices: m.slices?.(node, graph, params),
    aliasesInput: Boolean(m.aliasesInput),
    cost: opCost(choice, op, m.macs(node, graph)),
  };
}

/** The prepared graph a lowered one came from (for the reference interpreter): the same parameters, none computed again. */
export function preparedOf(l: LoweredGraph): PreparedGraph {
  return { graph: l.graph, params: new Map([...l.ops].map(([index, op]) => [index, op.params])) };
}
