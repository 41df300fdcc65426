/**
 * The lowered graph: for each op, decided once, everything the planner, the
 * code generator and the reports need — its typed parameters, the kernel that
 * runs it (and why a fallback does), its scratch, how its output may overlap a
 * dying input, whether it writes a strided output, its rows for streaming, and
 * its cost figures. Plain data: nothing after lowering asks an op module or
 * the kernel registry again.
 */
import type { Graph, Node } from "../compiler/ir.js";
import type { RowGeometry, SliceLayout } from "../compiler/ops/types.js";
import type { OpCost } from "../kernels/cost.js";
import type { OpKernel, OverlapCapability } from "../kernels/types.js";

export type { OpCost } from "../kernels/cost.js";
export type { RowGeometry, SliceLayout } from "../compiler/ops/types.js";

/** The kernel chosen to run an op. */
export interface LoweredKernel {
  /** Its family's `--backend` name. */
  readonly family: string;
  /** How reports name it, e.g. "tinyc's DSP kernel". */
  readonly describes: string;
  readonly kernel: OpKernel<never>;
  /** The C functions its call runs (e.g. tinyc_dsp_conv2d_fast_s8), as its emission will call them. */
  readonly entry: readonly string[];
  /** Set when a fallback family runs the op: why the backend's own kernel could not. */
  readonly note?: string;
}

export interface LoweredOp {
  readonly node: Node;
  /** What the op module's prepare() returned (requantization, geometry): what its kernel reads. */
  readonly params: unknown;
  /** The kernel that runs the op; absent for a view (its output is its input's bytes: nothing runs). */
  readonly kernel?: LoweredKernel;
  /** Bytes of scratch its kernel needs during the op (in the arena). */
  readonly scratchBytes: number;
  /** How its output may overlap a dying input, from its kernel's access order, in order of preference. */
  readonly overlap: readonly OverlapCapability[];
  /** True when its kernel can write output pixels at a stride (into a concatenation's slice). */
  readonly stridedOutput: boolean;
  /** True when its kernel takes explicit padding amounts (a PAD in front of it may fold into it). */
  readonly explicitPadding: boolean;
  /** Its rows, present when its kernel can compute a range of output rows through ring buffers (row streaming). */
  readonly rows?: RowGeometry;
  /** For an op whose output is its inputs side by side (a concatenation): where each input goes. */
  readonly slices?: SliceLayout;
  /** True when its output is a view of its first input's bytes. */
  readonly aliasesInput: boolean;
  readonly cost: OpCost;
}

export interface LoweredGraph {
  /** The graph, nodes in execution order (node indices are the model's own). */
  readonly graph: Graph;
  /** Each op's facts, by node index. */
  readonly ops: ReadonlyMap<number, LoweredOp>;
  /** The `--backend` it was lowered for (for reports and messages only). */
  readonly backend: string;
  /** Why the backend's kernels compute no rows from rings, for the plan report; absent when some do. */
  readonly noRowStreaming?: string;
}

/** The facts of one of the graph's ops. */
export function loweredOp(l: LoweredGraph, node: Node): LoweredOp {
  const op = l.ops.get(node.index);
  if (!op) throw new Error(`tinyc internal error: op ${node.index} was not lowered`);
  return op;
}

/** The same lowered graph with its nodes in another order (a schedule). */
export function withOrder(l: LoweredGraph, nodes: readonly Node[]): LoweredGraph {
  return { ...l, graph: { ...l.graph, nodes } };
}
