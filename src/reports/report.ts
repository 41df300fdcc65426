/** The memory report (JSON, camelCase) for `tinyc plan`, `compile` and `check`. */
import type { CompiledModel } from "../compile.js";
import { sharedBytes } from "../memplan/overlap.js";

export interface PlanReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  readonly algorithm: string;
  readonly align: number;
  readonly arenaBytes: number;
  readonly lowerBoundBytes: number;
  /** The layer-wise bound (the bound that applies without overlap options; equals lowerBoundBytes). */
  readonly layerwiseBoundBytes: number;
  /** The bound with each op's allowed overlap (whole tensors); present when an overlap option is on. */
  readonly overlapBoundBytes?: number;
  /** The bound for the chosen segmentation (streamed intermediates as rings); present when segments were chosen. */
  readonly streamBoundBytes?: number;
  /** Arena minus the bound that matches the options. */
  readonly gapBytes: number;
  readonly optimal: boolean;
  /** Memory options on for this plan. */
  readonly options: readonly string[];
  /** Operator reordering: whether the order changed, and the bound before and after (when it ran). */
  readonly schedule: {
    readonly reordered: boolean;
    readonly peakBeforeBytes?: number;
    readonly peakAfterBytes?: number;
    readonly exhaustive?: boolean;
    /** Op indices in execution order. */
    readonly order: readonly number[];
  };
  /** Ops allowed to write over a dying input, and how the plan uses it. */
  readonly overlaps: readonly {
    readonly op: number;
    readonly option: string;
    readonly input: string;
    readonly output: string;
    /** Bytes the output shares with the input in this plan (0: placed apart). */
    readonly sharedBytes: number;
    readonly direction: "forward" | "reverse";
  }[];
  /** Row-streamed segments (option "stream"): their ops, each ring's rows and bytes, and the kernel calls of the band loop. */
  readonly segments: readonly {
    readonly ops: readonly number[];
    readonly rings: readonly { readonly op: number; readonly tensor: string; readonly rows: number; readonly bytes: number }[];
    readonly calls: number;
    /** Rows of the last op's output per band. */
    readonly bandRows: number;
    /** Instructions the segment adds to running its ops whole, estimated. */
    readonly overheadInstructions: number;
    /** With --stream-input: the model input, fetched a row at a time into a ring of these rows. */
    readonly inputRing?: { readonly tensor: string; readonly rows: number; readonly bytes: number };
    /** How far above its input the segment's output may start (bytes; negative: below). */
    readonly forwardMarginBytes: number;
  }[];
  /** With option "stream", when the backend's kernels cannot stream rows: why. */
  readonly noRowStreaming?: string;
  /** With option "stream": the model's instructions unstreamed and what the segments add, estimated (of that, what a streamed input's reader alone adds, outside the bound), and the bound on that share the search kept to. */
  readonly streamCost?: { readonly modelInstructions: number; readonly overheadInstructions: number; readonly inputInstructions: number; readonly overheadBound: number };
  /** What the front-end passes changed before planning (e.g. a PAD folded into a convolution's padding). */
  readonly passes: readonly { readonly pass: string; readonly op: number; readonly kind: string; readonly message: string }[];
  /** Greedy-by-size placement (largest first) of the plan's own buffers, with the same overlaps allowed. */
  readonly greedyArenaBytes: number;
  readonly peakOp: number;
  readonly ops: readonly {
    readonly op: number;
    readonly kind: string;
    readonly liveBytes: number;
    /** Live bytes with the op's overlap applied (its share of the overlap bound). */
    readonly overlapLiveBytes: number;
    readonly scratchBytes: number;
    readonly live: readonly { readonly tensor: string; readonly bytes: number; readonly offset: number }[];
  }[];
}

export function planReport(c: CompiledModel): PlanReport {
  const p = c.plan;
  return {
    model: c.modelPath,
    target: c.target.name,
    backend: c.backend,
    algorithm: p.algorithm,
    align: p.align,
    arenaBytes: p.arenaBytes,
    lowerBoundBytes: p.lowerBoundBytes,
    layerwiseBoundBytes: p.lowerBoundBytes,
    ...(p.overlapBoundBytes === undefined ? {} : { overlapBoundBytes: p.overlapBoundBytes }),
    ...(p.streamBoundBytes === undefined ? {} : { streamBoundBytes: p.streamBoundBytes }),
    gapBytes: p.arenaBytes - p.boundBytes,
    optimal: p.optimal,
    options: p.options,
    schedule: {
      reordered: c.schedule.reordered,
      ...(c.schedule.search ? { peakBeforeBytes: c.schedule.search.peakBefore, peakAfterBytes: c.schedule.search.peakAfter, exhaustive: c.schedule.search.exhaustive } : {}),
      order: c.graph.nodes.map((n) => n.index),
    },
    overlaps: p.rules.map((r) => {
      const i = p.buffers[r.input]!, o = p.buffers[r.output]!;
      return {
        op: r.op, option: r.option, input: i.name, output: o.name,
        sharedBytes: sharedBytes(i, o, p.placement.offsets.get(i.id)!, p.placement.offsets.get(o.id)!),
        direction: p.reverse.has(r.op) ? "reverse" as const : "forward" as const,
      };
    }),
    segments: p.segments.map((seg) => ({
      ops: seg.ops,
      rings: seg.rings.map((r, k) => ({ op: seg.ops[k]!, tensor: c.graph.tensors[r.tensor]!.name, rows: r.rows, bytes: r.bytes })),
      calls: seg.schedule.calls.length,
      bandRows: seg.schedule.bandRows,
      overheadInstructions: seg.overhead,
      ...(seg.inputRing ? { inputRing: { tensor: c.graph.tensors[seg.inputRing.tensor]!.name, rows: seg.inputRing.rows, bytes: seg.inputRing.bytes } } : {}),
      forwardMarginBytes: seg.forward,
    })),
    ...(p.options.includes("stream") && c.lowered.noRowStreaming ? { noRowStreaming: c.lowered.noRowStreaming } : {}),
    ...(p.streamCost ? { streamCost: { modelInstructions: p.streamCost.modelInstructions, overheadInstructions: p.streamCost.overheadInstructions, inputInstructions: p.streamCost.inputInstructions, overheadBound: p.streamCost.bound } } : {}),
    passes: c.passes,
    greedyArenaBytes: p.greedyArenaBytes,
    peakOp: p.steps[p.peakStep]?.op ?? 0,
    ops: p.steps.map((s) => ({
      op: s.op, kind: s.kind, liveBytes: s.liveBytes, overlapLiveBytes: s.overlapLiveBytes, scratchBytes: s.scratchBytes,
      live: s.live.map((l) => ({ tensor: l.name, bytes: l.bytes, offset: l.offset })),
    })),
  };
}

/** The per-op table's rows: op, kind, live bytes, live bytes with the op's overlap, scratch bytes, live tensors with offsets. */
export function formatPlanRows(c: CompiledModel): (string | number)[][] {
  return c.plan.steps.map((s) => [
    s.op, s.kind + (c.plan.reverse.has(s.op) ? " (reverse)" : "") + (c.plan.segments.some((seg) => seg.ops.includes(s.op)) ? " (streamed)" : ""), s.liveBytes, s.overlapLiveBytes, s.scratchBytes,
    s.live.map((l) => `${shortTensorName(l.name)} @${l.offset}`).join("; "),
  ]);
}

/** Converters join fused ops' names with ";": the last part, at most 60 characters, names a tensor well enough in a table. */
export function shortTensorName(name: string): string {
  const last = name.split(";").pop() ?? name;
  return last.length > 60 ? `…${last.slice(-59)}` : last;
}
