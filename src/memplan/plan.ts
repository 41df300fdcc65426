/**
 * The planner, over lowered facts only: analysis (lifetimes, overlap rules)
 * → stream search (which segments to run by rows: search.ts) → algorithm
 * (placement, registered by name) → the plan the code generator applies (an
 * arena offset for every tensor and scratch buffer) and the reports read.
 */
import { assert, fail } from "../diagnostics.js";
import type { LoweredGraph } from "../lower/types.js";
import { MEMORY_OPTIONS, type MemoryOption } from "../memory_options.js";
import { analyze, type Analysis } from "./analysis.js";
import { layerwiseBound, liveSets, overlapBound, overlapLiveBytes } from "./bounds.js";
import { asciiPlan, overlaps } from "./check.js";
import { modelInstructions } from "./cost.js";
import { exactPlacement } from "./exact.js";
import { greedyBySize } from "./greedy.js";
import { runsInReverse } from "./overlap.js";
import type { MemoryPlan, PlacementName, PlannedStep } from "./result.js";
import { reorder, type Schedule } from "./schedule.js";
import { chooseSegments, DEFAULT_STREAM_OVERHEAD } from "./search.js";
import { segmentOf, streamedInputStep, type Segment } from "./segments.js";
import type { Placement, PlacementAlgorithm } from "./types.js";

export type { MemoryPlan, PlacementName, PlannedStep, StreamCost } from "./result.js";
export { boundsText } from "./result.js";
export { chooseSegments, DEFAULT_STREAM_OVERHEAD } from "./search.js";

export const PLACEMENT_ALGORITHMS: Readonly<Record<PlacementName, PlacementAlgorithm>> = {
  greedy: greedyBySize,
  exact: (buffers, rules) => exactPlacement(buffers, rules),
};

export interface PlanOptions {
  /** Arena alignment of every buffer, 16 by default. */
  readonly align?: number;
  /** Placement algorithm: "exact" (default; seeded with greedy, never worse) or "greedy". */
  readonly algorithm?: PlacementName;
  /** Memory options turned off (all are on by default). */
  readonly disable?: readonly MemoryOption[];
  /** A model input to stream (tensor id): fetched a row at a time into a ring by the segment at its reader; needs option "stream". */
  readonly streamInput?: number;
  /** The bound on row streaming's estimated instruction overhead, a share of the model's (DEFAULT_STREAM_OVERHEAD). */
  readonly streamOverhead?: number;
  /** These segments instead of the search's (tests compare choices with it). */
  readonly segments?: readonly Segment[];
}

/** A placement of one analysis (one choice of segments). */
interface Placed {
  readonly segments: readonly Segment[];
  readonly a: Analysis;
  readonly placement: Placement;
}

export function planMemory(l: LoweredGraph, options: PlanOptions = {}): MemoryPlan {
  const align = options.align ?? 16, algorithm = options.algorithm ?? "exact";
  const enabled = new Set(enabledOptions(options.disable));
  const inputStep = streamedStep(l, options.streamInput, enabled);
  const bound = options.streamOverhead ?? DEFAULT_STREAM_OVERHEAD;
  assert(bound >= 0 && Number.isFinite(bound), `stream overhead bound ${bound} must be a share of at least 0`);
  const choice = options.segments !== undefined ? { segments: options.segments, fewestRows: options.segments }
    : enabled.has("stream") ? chooseSegments(l, align, enabled, inputStep, bound) : { segments: [], fewestRows: [] };
  const place = (segments: readonly Segment[]): Placed => {
    const a = analyze(l, align, enabled, segments);
    return { segments, a, placement: PLACEMENT_ALGORITHMS[algorithm](a.buffers, a.rules) };
  };
  // Taller bands keep the bound but may not keep the placed arena (a placement that cannot reach the bound): the smaller wins.
  let best = place(choice.segments);
  const key = (list: readonly Segment[]) => list.map((seg) => `${seg.steps[0]}-${seg.steps.at(-1)}x${seg.schedule.bandRows}`).join(",");
  if (key(choice.fewestRows) !== key(choice.segments) && best.placement.arenaBytes > overlapBound(best.a.buffers, l.graph.nodes.length, best.a.rules)) {
    const fewest = place(choice.fewestRows);
    if (fewest.placement.arenaBytes < best.placement.arenaBytes) best = fewest;
  }
  const check = overlaps(best.a.buffers, best.placement, best.a.rules);
  assert(check.overlaps.length + check.misaligned.length + check.outside.length === 0, `placement '${algorithm}' produced an invalid plan`);
  const inputCalls = inputStep === undefined ? 0 : segmentOf(l, inputStep, inputStep, true)!.overhead;
  const streamCost = enabled.has("stream")
    ? { modelInstructions: modelInstructions(l), overheadInstructions: best.segments.reduce((s, seg) => s + seg.overhead, 0), inputInstructions: inputCalls, bound }
    : undefined;
  const whole = best.segments.length === 0 ? best.a : analyze(l, align, enabled);
  return { ...planOf(l, best, whole, align, enabled), algorithm, streamCost };
}

/** The step reading the streamed input (undefined when none is streamed); a TC123 error when it cannot stream. */
function streamedStep(l: LoweredGraph, id: number | undefined, enabled: ReadonlySet<MemoryOption>): number | undefined {
  if (id === undefined) return undefined;
  assert(enabled.has("stream"), "a streamed input needs option 'stream'");
  const step = streamedInputStep(l, id);
  if (typeof step !== "number") fail("TC123", step.message, step.values, { file: l.graph.source, tensor: l.graph.tensors[id]?.name });
  return step;
}

/** The plan of a placement: offsets by tensor and scratch, each step's live set, the bounds, where kernels run in reverse. */
function planOf(l: LoweredGraph, { segments, a, placement }: Placed, whole: Analysis, align: number, enabled: ReadonlySet<MemoryOption>): Omit<MemoryPlan, "algorithm" | "streamCost"> {
  const stepCount = l.graph.nodes.length;
  const sets = liveSets(a.buffers, stepCount);
  const lowerBoundBytes = layerwiseBound(whole.buffers, stepCount);
  const overlapping = [...enabled].some((o) => o !== "reorder");
  const overlapBoundBytes = overlapping ? overlapBound(whole.buffers, stepCount, whole.rules) : undefined;
  const streamBoundBytes = segments.length === 0 ? undefined : overlapBound(a.buffers, stepCount, a.rules);
  const stepOverlapBytes = overlapLiveBytes(a.buffers, stepCount, a.rules);
  const byId = new Map(a.buffers.map((b) => [b.id, b]));
  const offset = (id: number) => placement.offsets.get(id)!;
  const steps: PlannedStep[] = l.graph.nodes.map((node, step) => {
    const scratchId = a.scratchBuffer.get(node.index);
    return {
      step, op: node.index, kind: node.kind,
      live: sets[step]!.buffers.map((id) => ({ name: byId.get(id)!.name, bytes: byId.get(id)!.bytes, offset: offset(id) })),
      liveBytes: sets[step]!.bytes, overlapLiveBytes: stepOverlapBytes[step]!,
      scratchBytes: scratchId === undefined ? 0 : byId.get(scratchId)!.bytes,
    };
  });
  const tensorOffsets = new Map([...a.tensorBuffer].map(([t, b]) => [t, offset(b) + (a.slices.get(t)?.offset ?? 0)]));
  const scratch = new Map([...a.scratchBuffer].map(([n, b]) => [n, { offset: offset(b), bytes: byId.get(b)!.bytes }]));
  const stepBytes = overlapping ? stepOverlapBytes : sets.map((s) => s.bytes);
  const peakStep = stepBytes.reduce((best, bytes, step) => (bytes > stepBytes[best]! ? step : best), 0);
  const arenaBytes = Math.max(placement.arenaBytes, align);
  const boundBytes = streamBoundBytes ?? overlapBoundBytes ?? lowerBoundBytes;
  const reverse = new Set(a.rules.filter((r) => runsInReverse(r, byId.get(r.input)!, byId.get(r.output)!, offset(r.input), offset(r.output))).map((r) => r.op));
  return {
    align, arenaBytes, lowerBoundBytes, overlapBoundBytes, streamBoundBytes, boundBytes, options: [...enabled], rules: a.rules, reverse, elided: a.elided,
    optimal: "optimal" in placement ? Boolean(placement.optimal) : arenaBytes <= boundBytes,
    pixelStride: new Map([...a.slices].map(([t, s]) => [t, s.pixelStride])),
    greedyArenaBytes: Math.max(greedyBySize(a.buffers, a.rules).arenaBytes, align), buffers: a.buffers, placement, tensorOffsets, tensorBuffer: a.tensorBuffer, scratch, steps, peakStep, segments,
  };
}

export function enabledOptions(disable: readonly MemoryOption[] = []): MemoryOption[] {
  return MEMORY_OPTIONS.filter((o) => !disable.includes(o));
}

/** The op order to plan and emit: reordered for a lower peak unless "reorder" is disabled. */
export function scheduleOps(l: LoweredGraph, disable: readonly MemoryOption[] = [], align = 16): Schedule {
  const enabled = new Set(enabledOptions(disable));
  if (enabled.has("reorder")) return reorder(l, align, enabled);
  return { lowered: l, reordered: false };
}

export function planPicture(plan: MemoryPlan): string {
  return asciiPlan(plan.buffers, plan.placement, plan.steps.length);
}
