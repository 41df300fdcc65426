/**
 * The planner pipeline: analysis (lifetimes) → algorithm (placement, registered
 * by name) → the plan the code generator applies (an arena offset for every
 * tensor and scratch buffer) and reports.
 */
import { assert, fail } from "../diagnostics.js";
import type { Backend } from "../kernels/registry.js";
import { MEMORY_OPTIONS, type MemoryOption } from "./options.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import type { Target } from "../targets.js";
import { analyze } from "./analysis.js";
import { modelInstructions } from "./cost.js";
import { tensorOf } from "../compiler/ops/common.js";
import { layerwiseBound, liveSets, overlapBound, overlapLiveBytes } from "./bounds.js";
import { asciiPlan, overlaps } from "./check.js";
import { exactPlacement } from "./exact.js";
import { greedyBySize } from "./greedy.js";
import { runsInReverse, type OverlapRule } from "./overlap.js";
import { reorder, type Schedule } from "./schedule.js";
import { segmentOf, streamableSteps, streamedInputStep, type Segment } from "./segments.js";
import type { BufferRecord, Placement, PlacementAlgorithm } from "./types.js";

export const PLACEMENT_ALGORITHMS: Readonly<Record<PlacementName, PlacementAlgorithm>> = {
  greedy: greedyBySize,
  exact: (buffers, rules) => exactPlacement(buffers, rules),
};

export interface PlanOptions {
  readonly backend: Backend;
  readonly target: Target;
  /** Arena alignment of every buffer, 16 by default. */
  readonly align?: number;
  /** Placement algorithm: "exact" (default; seeded with greedy, never worse) or "greedy". */
  readonly algorithm?: PlacementName;
  /** Memory options turned off (all are on by default). */
  readonly disable?: readonly MemoryOption[];
  /**
   * A model input to stream (tensor id): never whole in the arena, fetched a
   * row at a time into a ring by the segment that starts at its reader (see
   * streamedInputStep); needs option "stream".
   */
  readonly streamInput?: number;
  /** The bound on row streaming's estimated instruction overhead, a share of the model's (DEFAULT_STREAM_OVERHEAD). */
  readonly streamOverhead?: number;
  /** These segments instead of the search's (tests compare choices with it). */
  readonly segments?: readonly Segment[];
}

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
  /** What greedy-by-size placement (TensorFlow Lite Micro's method) needs, for comparison. */
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

export function planMemory(p: PreparedGraph, options: PlanOptions): MemoryPlan {
  const align = options.align ?? 16;
  const algorithm = options.algorithm ?? "exact";
  const enabled = enabledOptions(options.disable);
  assert(options.streamInput === undefined || enabled.includes("stream"), "a streamed input needs option 'stream'");
  const inputStep = options.streamInput === undefined ? undefined : streamedInputStep(p, options.backend, options.target, options.streamInput);
  if (typeof inputStep === "string") fail("TC123", inputStep, { file: p.graph.source, tensor: p.graph.tensors[options.streamInput!]?.name });
  const overheadBound = options.streamOverhead ?? DEFAULT_STREAM_OVERHEAD;
  assert(overheadBound >= 0 && Number.isFinite(overheadBound), `stream overhead bound ${overheadBound} must be a share of at least 0`);
  const choice = options.segments !== undefined ? { segments: options.segments, fewestRows: options.segments }
    : enabled.includes("stream") ? chooseSegments(p, options.backend, options.target, align, new Set(enabled), inputStep, overheadBound) : { segments: [], fewestRows: [] };
  // Taller bands keep the bound but may not keep the placed arena (a placement that cannot reach the bound): the smaller wins.
  const placed = (segments: readonly Segment[]) => {
    const a = analyze(p, options.backend, options.target, align, new Set(enabled), { segments });
    return { segments, a, placement: PLACEMENT_ALGORITHMS[algorithm](a.buffers, a.rules) };
  };
  let best = placed(choice.segments);
  const key = (list: readonly Segment[]) => list.map((seg) => `${seg.steps[0]}-${seg.steps.at(-1)}x${seg.schedule.bandRows}`).join(",");
  if (key(choice.fewestRows) !== key(choice.segments) && best.placement.arenaBytes > overlapBound(best.a.buffers, p.graph.nodes.length, best.a.rules)) {
    const fewest = placed(choice.fewestRows);
    if (fewest.placement.arenaBytes < best.placement.arenaBytes) best = fewest;
  }
  const { segments, a, placement } = best;
  const inputCalls = inputStep === undefined ? 0 : segmentOf(p, options.backend, options.target, inputStep, inputStep, true)!.overhead;
  const streamCost = enabled.includes("stream")
    ? { modelInstructions: modelInstructions(p, options.backend, options.target), overheadInstructions: segments.reduce((s, seg) => s + seg.overhead, 0), inputInstructions: inputCalls, bound: overheadBound }
    : undefined;
  const greedyArenaBytes = greedyBySize(a.buffers).arenaBytes;
  const check = overlaps(a.buffers, placement, a.rules);
  assert(check.overlaps.length + check.misaligned.length + check.outside.length === 0, `placement '${algorithm}' produced an invalid plan`);

  const stepCount = p.graph.nodes.length;
  const sets = liveSets(a.buffers, stepCount);
  const whole = segments.length === 0 ? a : analyze(p, options.backend, options.target, align, new Set(enabled));
  const lowerBoundBytes = layerwiseBound(whole.buffers, stepCount);
  const overlapping = enabled.some((o) => o !== "reorder");
  const overlapBoundBytes = overlapping ? overlapBound(whole.buffers, stepCount, whole.rules) : undefined;
  const streamBoundBytes = segments.length === 0 ? undefined : overlapBound(a.buffers, stepCount, a.rules);
  const stepOverlapBytes = overlapLiveBytes(a.buffers, stepCount, a.rules);
  const byId = new Map(a.buffers.map((b) => [b.id, b]));
  const steps: PlannedStep[] = p.graph.nodes.map((node, step) => {
    const s = sets[step]!;
    const scratchId = a.scratchBuffer.get(node.index);
    return {
      step, op: node.index, kind: node.kind,
      live: s.buffers.map((id) => ({ name: byId.get(id)!.name, bytes: byId.get(id)!.bytes, offset: placement.offsets.get(id)! })),
      liveBytes: s.bytes,
      overlapLiveBytes: stepOverlapBytes[step]!,
      scratchBytes: scratchId === undefined ? 0 : byId.get(scratchId)!.bytes,
    };
  });
  const tensorOffsets = new Map<number, number>();
  for (const [t, b] of a.tensorBuffer) tensorOffsets.set(t, placement.offsets.get(b)! + (a.slices.get(t)?.offset ?? 0));
  const pixelStride = new Map([...a.slices].map(([t, s]) => [t, s.pixelStride]));
  const scratch = new Map<number, { offset: number; bytes: number }>();
  for (const [n, b] of a.scratchBuffer) scratch.set(n, { offset: placement.offsets.get(b)!, bytes: byId.get(b)!.bytes });
  const stepBytes = overlapping ? stepOverlapBytes : sets.map((s) => s.bytes);
  const peakStep = stepBytes.reduce((best, bytes, step) => (bytes > stepBytes[best]! ? step : best), 0);
  const arenaBytes = Math.max(placement.arenaBytes, align);
  const boundBytes = streamBoundBytes ?? overlapBoundBytes ?? lowerBoundBytes;
  const optimal = "optimal" in placement ? Boolean(placement.optimal) : arenaBytes <= boundBytes;
  const reverse = new Set(a.rules.filter((r) =>
    runsInReverse(r, byId.get(r.input)!, byId.get(r.output)!, placement.offsets.get(r.input)!, placement.offsets.get(r.output)!)).map((r) => r.op));
  return {
    algorithm, align, arenaBytes, lowerBoundBytes, overlapBoundBytes, streamBoundBytes, boundBytes, optimal, options: enabled, rules: a.rules, reverse, pixelStride, elided: a.elided,
    greedyArenaBytes: Math.max(greedyArenaBytes, align), buffers: a.buffers, placement, tensorOffsets, tensorBuffer: a.tensorBuffer, scratch, steps, peakStep, segments, streamCost,
  };
}

/** Ops in one segment at most (the search's breadth). */
const MAX_SEGMENT_OPS = 8;

/** The default bound on streaming's estimated instruction overhead: this share of the model's estimated instructions. */
export const DEFAULT_STREAM_OVERHEAD = 0.05;

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

/**
 * The segments to stream and their band heights: repeatedly the chain of
 * streamable steps whose streaming lowers the plan's bound most (on a tie, the
 * live bytes summed over the steps, so that a model of repeated blocks streams
 * them one by one; then the shorter), each in bands of the fewest rows whose
 * estimated overhead keeps the total within `overheadBound` of the model's
 * instructions, until none lowers either; then without each segment whose
 * removal leaves the bound where it is; then each segment's bands doubled
 * while the bound stays and the overhead falls (fewer, larger calls). What
 * taller bands free of the budget goes to another round of the search (at
 * most MAX_ROUNDS). A streamed input's reader is streamed whatever it costs
 * (the user asked for it), and the bound is on what the rest adds.
 * Deterministic for a given graph. Also returns the first round's segments
 * before their bands grew (`fewestRows`): the planner places those too when
 * the taller bands' placement misses the bound.
 */
export function chooseSegments(
  p: PreparedGraph, backend: Backend, target: Target, align: number, enabled: ReadonlySet<MemoryOption>, inputStep?: number, overheadBound = DEFAULT_STREAM_OVERHEAD,
): { segments: Segment[]; fewestRows: Segment[] } {
  const { link } = streamableSteps(p, backend, target);
  const steps = p.graph.nodes.length;
  const overlapping = [...enabled].some((o) => o !== "reorder");
  const capabilities = new Map();
  type Score = { bound: number; total: number; bytes: number[] };
  const scoreOf = (segments: readonly Segment[]): Score => {
    const a = analyze(p, backend, target, align, enabled, { segments, capabilities });
    const bytes = overlapping ? overlapLiveBytes(a.buffers, steps, a.rules) : liveSets(a.buffers, steps).map((x) => x.bytes);
    return { bound: Math.max(0, ...bytes), total: bytes.reduce((x, y) => x + y, 0), bytes };
  };
  const better = (x: Score, y: Score) => x.bound < y.bound || (x.bound === y.bound && x.total < y.total);
  const overheadOf = (segments: readonly Segment[]) => segments.reduce((s, seg) => s + seg.overhead, 0);
  const byStart = (list: Segment[]) => list.sort((x, y) => x.steps[0]! - y.steps[0]!);
  const candidates = new Map<string, Segment | undefined>();
  const candidate = (first: number, last: number, bandRows: number) => {
    const key = `${first},${last},${bandRows}`;
    if (!candidates.has(key)) candidates.set(key, segmentOf(p, backend, target, first, last, first === inputStep, bandRows));
    return candidates.get(key);
  };
  /** Band heights to try for a segment ending at `last`: `from`, twice that, … while under its output's rows (1 always). */
  const bandHeights = (last: number, from = 1) => {
    const heights: number[] = [];
    for (let h = from; h === 1 || h < rowsOf(p, last); h *= 2) heights.push(h);
    return heights;
  };
  // A streamed input is read by a segment from the start: at first its reader alone, which a longer one may replace.
  let chosen: Segment[] = inputStep === undefined ? [] : [candidate(inputStep, inputStep, 1)!];
  // Its reader's calls, a row each, are what the user asked for: the bound is on what streaming adds beyond them.
  const budget = overheadBound * modelInstructions(p, backend, target) + overheadOf(chosen);
  let best = scoreOf(chosen);
  /** The greedy picks from `chosen`; whether it added any. */
  const grow = () => {
    let added = false;
    for (;;) {
      let pick: Segment[] | undefined, pickScore = best;
      // A segment changes the live bytes of its own steps only: only one over a step at the bound can lower it.
      const peaks = best.bytes.flatMap((b, step) => (b === best.bound ? [step] : []));
      const firsts = new Set(peaks.flatMap((step) => Array.from({ length: MAX_SEGMENT_OPS }, (_, k) => step - k).filter((f) => f >= 0)));
      for (const first of [...firsts].sort((x, y) => x - y)) {
        const replacing = first === inputStep;
        const others = replacing ? chosen.filter((s) => !s.inputRing) : chosen;
        if (others.some((s) => s.steps.includes(first))) continue;
        for (let last = first + 1; last < steps && last - first < MAX_SEGMENT_OPS && link[last - 1]; last++) {
          if (others.some((s) => s.steps.includes(last))) break;
          if (!peaks.some((step) => first <= step && step <= last)) continue;
          const seg = bandHeights(last).map((h) => candidate(first, last, h)).find((s) => s === undefined || overheadOf(others) + s.overhead <= budget);
          if (!seg) continue;
          const score = scoreOf([...others, seg]);
          if (better(score, pickScore)) {
            pick = [...others, seg];
            pickScore = score;
          }
        }
      }
      if (!pick) return added;
      chosen = pick;
      best = pickScore;
      added = true;
    }
  };
  /** Without each segment whose removal leaves the bound where it is (a segment costs instructions). */
  const prune = () => {
    for (const seg of [...chosen].reverse()) {
      if (seg.inputRing) continue;
      const without = chosen.filter((s) => s !== seg);
      if (scoreOf(without).bound <= best.bound) chosen = without;
    }
    best = scoreOf(chosen);
  };
  /** Each segment's bands doubled while the bound stays and the estimated overhead falls. */
  const widen = () => {
    for (const [i, seg] of chosen.entries()) {
      const first = seg.steps[0]!, last = seg.steps[seg.steps.length - 1]!;
      for (const h of bandHeights(last, 2 * seg.schedule.bandRows)) {
        const wider = candidate(first, last, h);
        if (!wider || wider.overhead >= chosen[i]!.overhead) break;
        const next = chosen.map((s, k) => (k === i ? wider : s));
        const score = scoreOf(next);
        if (score.bound > best.bound) break;
        chosen = next;
        best = score;
      }
    }
  };
  grow();
  prune();
  const fewestRows = byStart([...chosen]);
  byStart(chosen);
  widen();
  for (let round = 1; round < MAX_ROUNDS && grow(); round++) {
    prune();
    byStart(chosen);
    widen();
  }
  return { segments: byStart(chosen), fewestRows };
}

/** Rounds of the segment search at most (each after taller bands freed some of the overhead budget). */
const MAX_ROUNDS = 3;

/** Rows of the output of the op at `step` (a [1, H, W, C] tensor). */
const rowsOf = (p: PreparedGraph, step: number) => tensorOf(p.graph, p.graph.nodes[step]!.outputs[0]!).shape[1]!;

/** "bound 28368 streamed, 36880 with overlaps, 55296 layer-wise" (the bounds the plan has), numbers formatted by `n`. */
export function boundsText(plan: MemoryPlan, n: (x: number) => string = String): string {
  const parts = [
    ...(plan.streamBoundBytes === undefined ? [] : [`${n(plan.streamBoundBytes)} streamed`]),
    ...(plan.overlapBoundBytes === undefined ? [] : [`${n(plan.overlapBoundBytes)} with overlaps`]),
  ];
  return parts.length === 0 ? `layer-wise bound ${n(plan.lowerBoundBytes)}` : `bound ${parts.join(", ")}, ${n(plan.lowerBoundBytes)} layer-wise`;
}

export function enabledOptions(disable: readonly MemoryOption[] = []): MemoryOption[] {
  return MEMORY_OPTIONS.filter((o) => !disable.includes(o));
}

/** The op order to plan and emit: reordered for a lower peak unless "reorder" is disabled. */
export function scheduleOps(p: PreparedGraph, backend: Backend, target: Target, disable: readonly MemoryOption[] = [], align = 16): Schedule {
  const enabled = new Set(enabledOptions(disable));
  if (enabled.has("reorder")) return reorder(p, backend, target, align, enabled);
  return { prepared: p, reordered: false };
}

export function planPicture(plan: MemoryPlan): string {
  return asciiPlan(plan.buffers, plan.placement, plan.steps.length);
}
