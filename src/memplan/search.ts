/**
 * The stream search: which segments to stream and their band heights. Greedy
 * rounds over the lowered graph: repeatedly the chain of streamable steps
 * whose streaming lowers the plan's bound most (on a tie, the live bytes
 * summed over the steps, so that a model of repeated blocks streams them one
 * by one; then the shorter), each in bands of the fewest rows whose estimated
 * overhead keeps the total within the bound's share of the model's
 * instructions, until none lowers either; then without each segment whose
 * removal leaves the bound where it is; then each segment's bands doubled
 * while the bound stays and the overhead falls (fewer, larger calls). What
 * taller bands free of the budget goes to another round (at most MAX_ROUNDS).
 * A streamed input's reader is streamed whatever it costs (the user asked for
 * it), and the bound is on what the rest adds. Deterministic for a graph.
 */
import { tensorOf } from "../compiler/ops/common.js";
import type { LoweredGraph } from "../lower/types.js";
import type { MemoryOption } from "../memory_options.js";
import { analyze } from "./analysis.js";
import { liveSets, overlapLiveBytes } from "./bounds.js";
import { modelInstructions } from "./cost.js";
import { segmentOf, streamableSteps, type Segment } from "./segments.js";

/** Ops in one segment at most (the search's breadth). */
const MAX_SEGMENT_OPS = 8;

/** Rounds of the segment search at most (each after taller bands freed some of the overhead budget). */
const MAX_ROUNDS = 3;

/** The default bound on streaming's estimated instruction overhead: this share of the model's estimated instructions. */
export const DEFAULT_STREAM_OVERHEAD = 0.05;

/** A choice of segments scored: the bound, the live bytes summed over the steps, and each step's live bytes. */
interface Score {
  readonly bound: number;
  readonly total: number;
  readonly bytes: readonly number[];
}

const better = (x: Score, y: Score) => x.bound < y.bound || (x.bound === y.bound && x.total < y.total);
const overheadOf = (segments: readonly Segment[]) => segments.reduce((s, seg) => s + seg.overhead, 0);
const byStart = (list: Segment[]) => list.sort((x, y) => x.steps[0]! - y.steps[0]!);

/**
 * The segments to stream and their band heights (see the file's header).
 * Also returns the first round's segments before their bands grew
 * (`fewestRows`): the planner places those too when the taller bands'
 * placement misses the bound.
 */
export function chooseSegments(
  l: LoweredGraph, align: number, enabled: ReadonlySet<MemoryOption>, inputStep?: number, overheadBound = DEFAULT_STREAM_OVERHEAD,
): { segments: Segment[]; fewestRows: Segment[] } {
  const search = new SegmentSearch(l, align, enabled, inputStep, overheadBound);
  search.grow();
  search.prune();
  const fewestRows = byStart([...search.chosen]);
  byStart(search.chosen);
  search.widen();
  for (let round = 1; round < MAX_ROUNDS && search.grow(); round++) {
    search.prune();
    byStart(search.chosen);
    search.widen();
  }
  return { segments: byStart(search.chosen), fewestRows };
}

/** The search's state: the segments chosen so far, their score, and the overhead budget. */
class SegmentSearch {
  chosen: Segment[];
  private best: Score;
  private readonly budget: number;
  private readonly link: readonly boolean[];
  private readonly steps: number;
  private readonly overlapping: boolean;
  private readonly candidates = new Map<string, Segment | undefined>();

  constructor(
    private readonly l: LoweredGraph, private readonly align: number, private readonly enabled: ReadonlySet<MemoryOption>,
    private readonly inputStep: number | undefined, overheadBound: number,
  ) {
    this.link = streamableSteps(l).link;
    this.steps = l.graph.nodes.length;
    this.overlapping = [...enabled].some((o) => o !== "reorder");
    // A streamed input is read by a segment from the start: at first its reader alone, which a longer one may replace.
    this.chosen = inputStep === undefined ? [] : [this.candidate(inputStep, inputStep, 1)!];
    // Its reader's calls, a row each, are what the user asked for: the bound is on what streaming adds beyond them.
    this.budget = overheadBound * modelInstructions(l) + overheadOf(this.chosen);
    this.best = this.scoreOf(this.chosen);
  }

  private scoreOf(segments: readonly Segment[]): Score {
    const a = analyze(this.l, this.align, this.enabled, segments);
    const bytes = this.overlapping ? overlapLiveBytes(a.buffers, this.steps, a.rules) : liveSets(a.buffers, this.steps).map((x) => x.bytes);
    return { bound: Math.max(0, ...bytes), total: bytes.reduce((x, y) => x + y, 0), bytes };
  }

  private candidate(first: number, last: number, bandRows: number): Segment | undefined {
    const key = `${first},${last},${bandRows}`;
    if (!this.candidates.has(key)) this.candidates.set(key, segmentOf(this.l, first, last, first === this.inputStep, bandRows));
    return this.candidates.get(key);
  }

  /** Band heights to try for a segment ending at `last`: `from`, twice that, … while under its output's rows (1 always). */
  private bandHeights(last: number, from = 1): number[] {
    const rows = tensorOf(this.l.graph, this.l.graph.nodes[last]!.outputs[0]!).shape[1]!;
    const heights: number[] = [];
    for (let h = from; h === 1 || h < rows; h *= 2) heights.push(h);
    return heights;
  }

  /** The greedy picks added to `chosen` until none lowers the score; whether it added any. */
  grow(): boolean {
    let added = false;
    for (let pick = this.bestPick(); pick; pick = this.bestPick()) {
      this.chosen = pick.segments;
      this.best = pick.score;
      added = true;
    }
    return added;
  }

  /** The chosen segments with the one new segment that lowers the score most, or undefined when none does. */
  private bestPick(): { segments: Segment[]; score: Score } | undefined {
    let pick: { segments: Segment[]; score: Score } | undefined;
    const best = this.best;
    // A segment changes the live bytes of its own steps only: only one over a step at the bound can lower it.
    const peaks = best.bytes.flatMap((b, step) => (b === best.bound ? [step] : []));
    const firsts = new Set(peaks.flatMap((step) => Array.from({ length: MAX_SEGMENT_OPS }, (_, k) => step - k).filter((f) => f >= 0)));
    for (const first of [...firsts].sort((x, y) => x - y)) {
      const others = first === this.inputStep ? this.chosen.filter((s) => !s.inputRing) : this.chosen;
      if (others.some((s) => s.steps.includes(first))) continue;
      for (let last = first + 1; last < this.steps && last - first < MAX_SEGMENT_OPS && this.link[last - 1]; last++) {
        if (others.some((s) => s.steps.includes(last))) break;
        if (!peaks.some((step) => first <= step && step <= last)) continue;
        const seg = this.bandHeights(last).map((h) => this.candidate(first, last, h)).find((s) => s === undefined || overheadOf(others) + s.overhead <= this.budget);
        if (!seg) continue;
        const score = this.scoreOf([...others, seg]);
        if (better(score, pick?.score ?? best)) pick = { segments: [...others, seg], score };
      }
    }
    return pick;
  }

  /** Without each segment whose removal leaves the bound where it is (a segment costs instructions). */
  prune(): void {
    for (const seg of [...this.chosen].reverse()) {
      if (seg.inputRing) continue;
      const without = this.chosen.filter((s) => s !== seg);
      if (this.scoreOf(without).bound <= this.best.bound) this.chosen = without;
    }
    this.best = this.scoreOf(this.chosen);
  }

  /** Each segment's bands doubled while the bound stays and the estimated overhead falls. */
  widen(): void {
    for (const [i, seg] of this.chosen.entries()) {
      const first = seg.steps[0]!, last = seg.steps[seg.steps.length - 1]!;
      for (const h of this.bandHeights(last, 2 * seg.schedule.bandRows)) {
        const wider = this.candidate(first, last, h);
        if (!wider || wider.overhead >= this.chosen[i]!.overhead) break;
        const next = this.chosen.map((s, k) => (k === i ? wider : s));
        const score = this.scoreOf(next);
        if (score.bound > this.best.bound) break;
        this.chosen = next;
        this.best = score;
      }
    }
  }
}
