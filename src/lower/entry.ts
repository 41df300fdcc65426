/**
 * The C entry points a kernel calls for an op, read off a dry run of its
 * emission: the kernel emits its call into a throwaway context (tensors,
 * tables and scratch as placeholders) and the functions the statements call
 * are its entry points. Exact for what the code generator will emit, without
 * each kernel restating its names.
 */
import type { Graph, Node } from "../compiler/ir.js";
import { CWriter } from "../kernels/cwriter.js";
import type { EmitContext, KernelOp, OpKernel } from "../kernels/types.js";
import type { Target } from "../targets.js";

/** C functions the kernels call (lower-case, by the families' naming: tinyc_..., arm_...). */
const CALL = /\b((?:tinyc|arm)_[a-z0-9_]+)\s*\(/g;

/** The functions `kernel`'s emission for `op` calls, in order, each once. */
export function entryPoints(kernel: OpKernel<never>, node: Node, graph: Graph, params: unknown, target: Target): readonly string[] {
  const body = new CWriter();
  const ctx: EmitContext = {
    target, graph, body, reverse: false,
    tensor: (id) => `t${id}`,
    table: (hint) => hint,
    struct: (hint) => hint,
    scratch: () => "NULL",
    note: () => undefined,
    source: () => undefined,
  };
  kernel.emit({ node, graph, params, target } as KernelOp<never>, ctx);
  return [...new Set([...body.text().matchAll(CALL)].map((m) => m[1]!))];
}
