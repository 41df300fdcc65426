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
import type { ConvParams } from "../compiler/ops/conv2d.js";
import type { PoolParams } from "../compiler/ops/pool.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import { kernelFor, ringRowRead, type Backend } from "../kernels/registry.js";
import { DEFAULT_COST } from "../kernels/types.js";
import type { Target } from "../targets.js";
import { rowOpOf, type Segment } from "./segments.js";

/** The kernel that runs `node` (undefined for a view, which runs nothing) and its family's cost table. */
function kernelOf(p: PreparedGraph, backend: Backend, target: Target, node: Node) {
  const op = { node, graph: p.graph, params: p.params.get(node.index), target };
  const choice = kernelFor(backend, op);
  return { op, choice, cost: choice?.family.cost ?? DEFAULT_COST };
}

/** Estimated instructions of one op run whole (none for a view: a RESHAPE runs nothing). */
export function opInstructions(p: PreparedGraph, backend: Backend, target: Target, node: Node): number {
  const { choice, cost: c } = kernelOf(p, backend, target, node);
  if (!choice) return 0;
  const outputs = node.outputs.reduce((s, id) => s + elementCount(tensorOf(p.graph, id).shape), 0);
  return Math.max(opModule(node).macs(node, p.graph), outputs) * (c.perWorkOf[node.kind] ?? c.perWork);
}

/** Estimated instructions of the whole model, unstreamed. */
export function modelInstructions(p: PreparedGraph, backend: Backend, target: Target): number {
  return Math.round(p.graph.nodes.reduce((s, node) => s + opInstructions(p, backend, target, node), 0));
}

/**
 * Estimated instructions a segment adds to running its ops whole: each call
 * beyond one per op, and each window row an op reads from a ring (every op
 * but the first, and the first too when it reads a streamed input; a 1x1
 * window's row is one lookup per pixel, left out).
 */
export function segmentOverhead(p: PreparedGraph, backend: Backend, target: Target, seg: Pick<Segment, "steps" | "schedule">, streamedInput = false): number {
  let extra = 0;
  seg.steps.forEach((step, k) => {
    const node = p.graph.nodes[step]!, { op, cost: c } = kernelOf(p, backend, target, node);
    const calls = seg.schedule.calls.filter((call) => call.op === k).length;
    extra += (calls - 1) * c.perCall;
    if (k === 0 && !streamedInput) return;
    extra += (c.ringShareOf[node.kind] ?? 0) * opInstructions(p, backend, target, node);
    const row = rowOpOf(node, p.params.get(node.index));
    if (row && row.kH * windowWidth(p, node) > 1) {
      const out = tensorOf(p.graph, node.outputs[0]!).shape;
      const perRow = ringRowRead(backend, op) ?? c.ringRowReadOf[node.kind] ?? 0;
      extra += perRow * out[1]! * out[2]! * row.kH;
    }
  });
  return Math.round(extra);
}

/** Taps across an op's window (1 for ops without one). */
function windowWidth(p: PreparedGraph, node: Node): number {
  const params = p.params.get(node.index);
  if (node.kind === "CONV_2D" || node.kind === "DEPTHWISE_CONV_2D") return (params as ConvParams).geo.kW;
  if (node.kind === "AVERAGE_POOL_2D" || node.kind === "MAX_POOL_2D") return (params as PoolParams).kW;
  return 1;
}
