/** The memory plan: what the planner hands the code generator and the reports. */
import type { MemoryOption } from "../memory_options.js";
import type { Segment } from "./segments.js";
import type { BufferRecord, OverlapRule, Placement } from "./types.js";

export type PlacementName = "exact" | "greedy";

export interface PlannedStep {
  readonly step: number;
  readonly op: number;
  readonly kind: string;
  /** Buffers alive during this op and their aligned total. */
  readonly live: readonly { readonly name: string; readonly bytes: number; readonly offset: number }[];
  readonly liveBytes: number;
  /** Live bytes with this step's overlap rule applied (the step's share of the overlap bound). */
  readonly overlapLiveBytes: number;
  readonly scratchBytes: number;
}

/** What row streaming costs and may cost, in estimated instructions (cost.ts). */
export interface StreamCost {
  /** The model run unstreamed. */
  readonly modelInstructions: number;
  /** What the chosen segments add. */
  readonly overheadInstructions: number;
  /** Of that, what a streamed input's reader alone adds (its calls, a row each), which the bound leaves out. */
  readonly inputInstructions: number;
  /** The bound the search kept to, as a share of modelInstructions. */
  readonly bound: number;
}

export interface MemoryPlan {
  readonly algorithm: string;
  readonly align: number;
  readonly arenaBytes: number;
  /** Layer-wise lower bound for this schedule (aligned live bytes incl. scratch, max over steps; whole buffers, no segments). */
  readonly lowerBoundBytes: number;
  /** The bound with every overlap rule applied (no segments); present when an overlap option is enabled. */
  readonly overlapBoundBytes?: number;
  /** The bound for the chosen segmentation (rings for streamed intermediates, overlap rules applied); present when segments were chosen. */
  readonly streamBoundBytes?: number;
  /** The bound that matches the options (stream bound, else overlap bound, else layer-wise). */
  readonly boundBytes: number;
  /** True when the arena is proven minimal for this schedule and these options. */
  readonly optimal: boolean;
  /** Memory options enabled for this plan. */
  readonly options: readonly MemoryOption[];
  /** Ops whose output may overlap a dying input, and which of them the placement actually overlaps. */
  readonly rules: readonly OverlapRule[];
  /** Node indices of the ops whose kernels must run in reverse element order. */
  readonly reverse: ReadonlySet<number>;
  /** Output tensors written as a slice of a concatenation: elements from one pixel to the next. */
  readonly pixelStride: ReadonlyMap<number, number>;
  /** Concatenations whose inputs were written in place (nothing to run). */
  readonly elided: ReadonlySet<number>;
  /** What greedy-by-size placement (largest first) of the same buffers, with the same overlaps allowed, needs: for comparison with the arena. */
  readonly greedyArenaBytes: number;
  readonly buffers: readonly BufferRecord[];
  readonly placement: Placement;
  /** Arena offset of every planned (non-constant) tensor. */
  readonly tensorOffsets: ReadonlyMap<number, number>;
  /** The buffer holding each planned tensor (aliased tensors share one). */
  readonly tensorBuffer: ReadonlyMap<number, number>;
  /** Arena offset and size of each op's scratch buffer, by node index. */
  readonly scratch: ReadonlyMap<number, { readonly offset: number; readonly bytes: number }>;
  readonly steps: readonly PlannedStep[];
  /** The step whose live set reaches the bound that matches the options. */
  readonly peakStep: number;
  /** Row-streamed segments (option "stream"), in schedule order. */
  readonly segments: readonly Segment[];
  /** With option "stream": what the segments cost in instructions, estimated, and the bound the search kept to. */
  readonly streamCost?: StreamCost;
}

/** "bound 28368 streamed, 36880 with overlaps, 55296 layer-wise" (the bounds the plan has), numbers formatted by `n`. */
export function boundsText(plan: MemoryPlan, n: (x: number) => string = String): string {
  const parts = [
    ...(plan.streamBoundBytes === undefined ? [] : [`${n(plan.streamBoundBytes)} streamed`]),
    ...(plan.overlapBoundBytes === undefined ? [] : [`${n(plan.overlapBoundBytes)} with overlaps`]),
  ];
  return parts.length === 0 ? `layer-wise bound ${n(plan.lowerBoundBytes)}` : `bound ${parts.join(", ")}, ${n(plan.lowerBoundBytes)} layer-wise`;
}
