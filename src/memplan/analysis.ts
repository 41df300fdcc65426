/**
 * Analysis: from a prepared graph and a schedule to buffer records. Each
 * non-constant tensor gets a lifetime from the step that writes it to the last
 * step that reads it (graph inputs from step 0, graph outputs to the last step);
 * tensors an op aliases (reshape) share one buffer; each op's kernel scratch is a
 * buffer alive during that op only. Where an op's kernel allows its output to
 * overlap an input that dies at it (the op module says so, per backend and
 * target), and that memory option is enabled, the analysis records an overlap
 * rule.
 */
import { isConstant, tensorBytes } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import { opModule } from "../compiler/ops/index.js";
import type { Backend, MemoryOption } from "../compiler/ops/types.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import type { Target } from "../targets.js";
import type { OverlapRule } from "./overlap.js";
import type { BufferRecord } from "./types.js";

export interface Analysis {
  readonly buffers: readonly BufferRecord[];
  /** Buffer id of every planned tensor (aliased tensors share one). */
  readonly tensorBuffer: ReadonlyMap<number, number>;
  /** Buffer id of each op's scratch, by node index. */
  readonly scratchBuffer: ReadonlyMap<number, number>;
  /** Node indices in execution order. */
  readonly schedule: readonly number[];
  /** Outputs allowed to overlap a dying input, at most one per op. */
  readonly rules: readonly OverlapRule[];
}

export function analyze(p: PreparedGraph, backend: Backend, target: Target, align: number, enabled: ReadonlySet<MemoryOption>): Analysis {
  const { graph } = p;
  const schedule = graph.nodes.map((n) => n.index);
  const steps = graph.nodes.length;
  const lastStep = Math.max(0, steps - 1);

  // Union-find over aliased tensors: an aliasing op's output shares its input's buffer.
  const root = new Map<number, number>();
  const find = (id: number): number => {
    let r = id;
    while (root.has(r)) r = root.get(r)!;
    return r;
  };
  for (const node of graph.nodes) {
    if (opModule(node).aliasesInput) root.set(node.outputs[0]!, find(node.inputs[0]!));
  }

  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const touch = (id: number, step: number) => {
    if (id < 0 || isConstant(tensorOf(graph, id))) return;
    const r = find(id);
    first.set(r, Math.min(first.get(r) ?? step, step));
    last.set(r, Math.max(last.get(r) ?? step, step));
  };
  graph.inputs.forEach((id) => touch(id, 0));
  graph.nodes.forEach((node, step) => {
    node.inputs.forEach((id) => touch(id, step));
    node.outputs.forEach((id) => touch(id, step));
  });
  graph.outputs.forEach((id) => touch(id, lastStep));

  const bytes = new Map<number, number>();
  const members = new Map<number, number[]>();
  for (const t of graph.tensors) {
    if (isConstant(t) || !first.has(find(t.id))) continue;
    const r = find(t.id);
    bytes.set(r, Math.max(bytes.get(r) ?? 0, tensorBytes(t)));
    members.set(r, [...(members.get(r) ?? []), t.id]);
  }

  const buffers: BufferRecord[] = [];
  const tensorBuffer = new Map<number, number>();
  for (const [r, ids] of members) {
    const id = buffers.length;
    buffers.push({ id, name: tensorOf(graph, r).name, bytes: bytes.get(r)!, firstUse: first.get(r)!, lastUse: last.get(r)!, align });
    for (const t of ids) tensorBuffer.set(t, id);
  }
  const scratchBuffer = new Map<number, number>();
  graph.nodes.forEach((node, step) => {
    const n = opModule(node).scratchBytes(node, graph, p.params.get(node.index), backend, target);
    if (n > 0) {
      const id = buffers.length;
      buffers.push({ id, name: `scratch of op ${node.index}`, bytes: n, firstUse: step, lastUse: step, align });
      scratchBuffer.set(node.index, id);
    }
  });
  return { buffers, tensorBuffer, scratchBuffer, schedule, rules: overlapRules(p, backend, target, buffers, tensorBuffer, enabled) };
}

function overlapRules(
  p: PreparedGraph, backend: Backend, target: Target, buffers: readonly BufferRecord[], tensorBuffer: ReadonlyMap<number, number>,
  enabled: ReadonlySet<MemoryOption>,
): OverlapRule[] {
  const { graph } = p;
  const kept = new Set(graph.outputs.map((t) => tensorBuffer.get(t)));
  const rules: OverlapRule[] = [];
  graph.nodes.forEach((node, step) => {
    const m = opModule(node);
    const output = tensorBuffer.get(node.outputs[0]!);
    if (!m.overlap || output === undefined || buffers[output]!.firstUse !== step) return;
    for (const cap of m.overlap(node, graph, p.params.get(node.index), backend, target)) {
      const input = tensorBuffer.get(node.inputs[cap.input]!);
      if (!enabled.has(cap.option) || input === undefined || input === output || kept.has(input) || buffers[input]!.lastUse !== step) continue;
      rules.push({ op: node.index, step, option: cap.option, input, output, forward: cap.forward, backward: cap.backward });
      return;
    }
  });
  return rules;
}
