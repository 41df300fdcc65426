/**
 * Placement algorithms on random buffer sets. Exact placement against brute
 * force (the best first-fit over every order of the buffers, which is optimal:
 * first-fit in the offset order of an optimal packing never puts a buffer
 * higher than that packing does), and properties over thousands of random
 * graphs: no two buffers alive at the same step overlap, every offset is
 * aligned, exact never needs more than greedy, and no plan goes below the
 * layer-wise bound.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { layerwiseBound, overlapBound } from "../src/memplan/bounds.js";
import { overlaps } from "../src/memplan/check.js";
import { exactPlacement } from "../src/memplan/exact.js";
import { firstFit, greedyBySize } from "../src/memplan/greedy.js";
import type { OverlapRule } from "../src/memplan/overlap.js";
import type { BufferRecord } from "../src/memplan/types.js";
import { Random } from "./host-kernels.js";

function bruteForce(buffers: readonly BufferRecord[]): number {
  let best = Infinity;
  const permute = (rest: BufferRecord[], order: BufferRecord[]): void => {
    if (rest.length === 0) {
      best = Math.min(best, firstFit(order).arenaBytes);
      return;
    }
    rest.forEach((b, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...order, b]));
  };
  permute([...buffers], []);
  return best;
}

function randomBuffers(r: Random, count: number, steps: number): BufferRecord[] {
  return Array.from({ length: count }, (_, id) => {
    const first = r.int(0, steps - 1), last = r.int(first, Math.min(steps - 1, first + r.int(0, 3)));
    return { id, name: `b${id}`, bytes: 16 * r.int(1, 8) - r.pick([0, 0, 5]), firstUse: first, lastUse: last, align: 16 };
  });
}

const steps = (bs: readonly BufferRecord[]) => Math.max(0, ...bs.map((b) => b.lastUse)) + 1;

describe("exact placement", () => {
  test("equals brute force on 300 random graphs of up to 8 buffers, and proves it", () => {
    const r = new Random(2024);
    for (let k = 0; k < 300; k++) {
      const bs = randomBuffers(r, r.int(1, 8), r.int(2, 7));
      const e = exactPlacement(bs);
      expect(e.arenaBytes, JSON.stringify(bs)).toBe(bruteForce(bs));
      expect(e.optimal).toBe(true);
      expect(overlaps(bs, e)).toEqual({ overlaps: [], misaligned: [], outside: [] });
    }
  });

  test("is bounded by search nodes: the same input gives the same plan", () => {
    const r = new Random(7);
    const bs = randomBuffers(r, 40, 30);
    const a = exactPlacement(bs, [], 5000), b = exactPlacement(bs, [], 5000);
    expect(a.nodes).toBeLessThanOrEqual(5001);
    expect([...a.offsets]).toEqual([...b.offsets]);
    expect(a.arenaBytes).toBe(b.arenaBytes);
  });
});

/** Random graphs in the shapes networks have: chains, residual skips, branches, and random lifetimes. */
const graphs = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(
    fc.constantFrom("chain", "residual", "branch", "random"),
    fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
    fc.constantFrom(4, 16, 32),
  ).map(([shape, sizes, spans, align]): BufferRecord[] => sizes.map((bytes, id) => {
    const first = shape === "random" ? (spans[id]! * 7 + id) % n : id;
    const span = shape === "chain" ? 1 : shape === "residual" ? (id % 3 === 0 ? 3 : 1) : shape === "branch" ? (id % 2 === 0 ? 2 : 0) : spans[id]!;
    return { id, name: `b${id}`, bytes, firstUse: first, lastUse: first + span, align };
  })));

describe("placement properties", () => {
  test("greedy and exact: no live overlap, aligned, exact <= greedy, never below the bound", () => {
    fc.assert(fc.property(graphs, (bs) => {
      const g = greedyBySize(bs), e = exactPlacement(bs, [], 2000);
      const bound = layerwiseBound(bs, steps(bs));
      for (const p of [g, e]) {
        expect(overlaps(bs, p)).toEqual({ overlaps: [], misaligned: [], outside: [] });
        expect(p.arenaBytes).toBeGreaterThanOrEqual(bound);
      }
      expect(e.arenaBytes).toBeLessThanOrEqual(g.arenaBytes);
      if (e.arenaBytes === bound) expect(e.optimal).toBe(true);
    }), { numRuns: 2000, seed: 4242 });
  });
});

/**
 * Graphs with overlap rules: each op's output may overlap its dying input
 * within random forward/reverse margins. Checked against an exhaustive search
 * over aligned offsets on small graphs.
 */
function withRules(r: Random, count: number): { buffers: BufferRecord[]; rules: OverlapRule[] } {
  const buffers: BufferRecord[] = [];
  const rules: OverlapRule[] = [];
  for (let id = 0; id < count; id++) {
    // Mostly a chain (buffer id born at the step id−1 dies), sometimes a longer-lived skip.
    const first = id === 0 ? 0 : buffers[id - 1]!.lastUse, last = first + (r.next() < 0.25 ? 2 : 1);
    buffers.push({ id, name: `b${id}`, bytes: 16 * r.int(1, 6) - r.pick([0, 0, 3]), firstUse: first, lastUse: last, align: 16 });
    const input = buffers.find((b) => b.lastUse === first && b.id !== id);
    if (input && r.next() < 0.8) {
      const backward = r.next() < 0.6 ? r.int(-16, input.bytes + 16) : undefined;
      rules.push({ op: id, step: first, option: "overlap", input: input.id, output: id, forward: r.int(-buffers[id]!.bytes - 16, 24), backward });
    }
  }
  return { buffers, rules };
}

/** The smallest arena over every aligned offset assignment (tiny graphs only). */
function exhaustive(bs: readonly BufferRecord[], rules: readonly OverlapRule[], limit: number): number {
  let best = limit;
  const offsets = new Map<number, number>();
  const place = (i: number, top: number): void => {
    if (top >= best) return;
    if (i === bs.length) {
      best = top;
      return;
    }
    const b = bs[i]!;
    for (let o = 0; o + b.bytes < best; o += b.align) {
      offsets.set(b.id, o);
      const placed = bs.slice(0, i + 1);
      if (overlaps(placed, { offsets, arenaBytes: Infinity }, rules).overlaps.length === 0) place(i + 1, Math.max(top, Math.ceil((o + b.bytes) / 16) * 16));
    }
    offsets.delete(b.id);
  };
  place(0, 0);
  return best;
}

describe("placement with overlap rules", () => {
  test("exact equals an exhaustive search on 150 small graphs; rules respected, never below the overlap bound", () => {
    const r = new Random(99);
    let proven = 0, overlapped = 0;
    for (let k = 0; k < 150; k++) {
      const { buffers: bs, rules } = withRules(r, r.int(2, 5));
      const e = exactPlacement(bs, rules), g = greedyBySize(bs, rules);
      const bound = overlapBound(bs, steps(bs), rules);
      const context = JSON.stringify({ bs, rules });
      for (const p of [e, g]) {
        expect(overlaps(bs, p, rules), context).toEqual({ overlaps: [], misaligned: [], outside: [] });
        expect(p.arenaBytes, context).toBeGreaterThanOrEqual(bound);
      }
      expect(e.arenaBytes, context).toBeLessThanOrEqual(g.arenaBytes);
      const best = exhaustive(bs, rules, e.arenaBytes);
      if (e.optimal) expect(e.arenaBytes, context).toBe(best);
      proven += e.optimal ? 1 : 0;
      overlapped += e.arenaBytes < layerwiseBound(bs, steps(bs)) ? 1 : 0;
      expect(bound).toBeLessThanOrEqual(layerwiseBound(bs, steps(bs)));
    }
    // The graphs exercise the rules: most plans are proven, and many beat the whole-buffer bound.
    expect(proven).toBeGreaterThan(100);
    expect(overlapped).toBeGreaterThan(30);
  });

  test("the checker refuses an overlap past a rule's margin", () => {
    const bs: BufferRecord[] = [
      { id: 0, name: "in", bytes: 64, firstUse: 0, lastUse: 1, align: 16 },
      { id: 1, name: "out", bytes: 64, firstUse: 1, lastUse: 2, align: 16 },
    ];
    const rule: OverlapRule = { op: 1, step: 1, option: "overlap", input: 0, output: 1, forward: -16, backward: 32 };
    const at = (d: number) => overlaps(bs, { offsets: new Map([[0, 64], [1, 64 + d]]), arenaBytes: 256 }, [rule]).overlaps.length;
    expect([-64, -16, 32, 64].map(at)).toEqual([0, 0, 0, 0]);
    expect([0, 16].map(at)).toEqual([1, 1]);
    expect(at(0)).toBe(1);
  });
});

describe("placement properties with overlap rules", () => {
  test("on 1,000 random chains and residuals: rules respected, aligned, exact <= greedy, never below the overlap bound", () => {
    const ruled = graphs.chain((bs) => fc.tuple(
      fc.constant(bs),
      fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -4096, max: 64 }), fc.option(fc.integer({ min: -64, max: 4096 }))), { minLength: bs.length, maxLength: bs.length }),
    )).map(([bs, margins]) => {
      const rules: OverlapRule[] = [];
      bs.forEach((b, i) => {
        const input = bs.find((a) => a.lastUse === b.firstUse && a.id !== b.id && !rules.some((r) => r.input === a.id));
        const [on, forward, backward] = margins[i]!;
        if (on && input) rules.push({ op: i, step: b.firstUse, option: "overlap", input: input.id, output: b.id, forward, backward: backward ?? undefined });
      });
      return { bs, rules };
    });
    fc.assert(fc.property(ruled, ({ bs, rules }) => {
      const g = greedyBySize(bs, rules), e = exactPlacement(bs, rules, 2000);
      const bound = overlapBound(bs, steps(bs), rules);
      for (const p of [g, e]) {
        expect(overlaps(bs, p, rules)).toEqual({ overlaps: [], misaligned: [], outside: [] });
        expect(p.arenaBytes).toBeGreaterThanOrEqual(bound);
      }
      expect(e.arenaBytes).toBeLessThanOrEqual(g.arenaBytes);
    }), { numRuns: 1000, seed: 777 });
  });
});
