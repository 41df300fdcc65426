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
import { layerwiseBound } from "../src/memplan/bounds.js";
import { overlaps } from "../src/memplan/check.js";
import { exactPlacement } from "../src/memplan/exact.js";
import { firstFit, greedyBySize } from "../src/memplan/greedy.js";
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
