/**
 * An op's estimated instructions from its kernel family's cost figures
 * (KernelFamily.cost): what it costs run whole, and what running it inside a
 * row-streamed segment adds (each further call, reading rings). Computed once
 * per op when it is lowered; the planner reads the figures, never the tables.
 */
import { elementCount } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { KernelChoice } from "./registry.js";
import { DEFAULT_COST, type KernelOp } from "./types.js";

/** An op's cost figures, in estimated instructions. */
export interface OpCost {
  /** Multiply-accumulates of the op (its module's count). */
  readonly macs: number;
  /** The op run whole: its work (MACs, or output elements where fewer) times its kernel's instructions per unit; 0 for a view. */
  readonly instructions: number;
  /** Each further call of its kernel inside a row-streamed segment. */
  readonly perCall: number;
  /** The share of `instructions` its kernel adds when it reads or writes a ring. */
  readonly ringShare: number;
  /** Per output pixel and window row it reads from a ring (finding the row's slot). */
  readonly ringRowRead: number;
}

/** The cost figures of `op` run by `choice` (undefined: a view, which runs nothing). */
export function opCost(choice: KernelChoice | undefined, op: KernelOp, macs: number): OpCost {
  const c = choice?.family.cost ?? DEFAULT_COST;
  const kind = op.node.kind;
  const outputs = op.node.outputs.reduce((s, id) => s + elementCount(tensorOf(op.graph, id).shape), 0);
  return {
    macs,
    instructions: choice ? Math.max(macs, outputs) * (c.perWorkOf[kind] ?? c.perWork) : 0,
    perCall: c.perCall,
    ringShare: c.ringShareOf[kind] ?? 0,
    ringRowRead: (choice?.kernel.ringRowRead?.(op as KernelOp<never>)) ?? c.ringRowReadOf[kind] ?? 0,
  };
}
