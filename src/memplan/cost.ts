/**
 * Estimated instructions, for row streaming's overhead bound: what the model
 * costs unstreamed, and what a segment adds (each kernel call beyond one per
 * op, and the share ring-reading kernels add). The figures are lowered facts
 * (each kernel family states its costs, KernelFamily.cost); `tinyc run`
 * measures the real overhead and `npm run bench` prints both.
 */
import { tensorOf } from "../compiler/ops/common.js";
import { loweredOp, type LoweredGraph } from "../lower/types.js";
import type { SegmentSchedule } from "./stream.js";

/** Estimated instructions of the whole model, unstreamed. */
export function modelInstructions(l: LoweredGraph): number {
  return Math.round(l.graph.nodes.reduce((s, node) => s + loweredOp(l, node).cost.instructions, 0));
}

/**
 * Estimated instructions a segment adds to running its ops whole: each call
 * beyond one per op, and each window row an op reads from a ring (every op
 * but the first, and the first too when it reads a streamed input; a 1x1
 * window's row is one lookup per pixel, left out).
 */
export function segmentOverhead(l: LoweredGraph, seg: { readonly steps: readonly number[]; readonly schedule: SegmentSchedule }, streamedInput = false): number {
  let extra = 0;
  seg.steps.forEach((step, k) => {
    const node = l.graph.nodes[step]!, op = loweredOp(l, node), c = op.cost;
    const calls = seg.schedule.calls.filter((call) => call.op === k).length;
    extra += (calls - 1) * c.perCall;
    if (k === 0 && !streamedInput) return;
    extra += c.ringShare * c.instructions;
    const row = op.rows;
    if (row && row.kH * row.kW > 1) {
      const out = tensorOf(l.graph, node.outputs[0]!).shape;
      extra += c.ringRowRead * out[1]! * out[2]! * row.kH;
    }
  });
  return Math.round(extra);
}
