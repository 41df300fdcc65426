/**
 * Row streaming's order of work (src/memplan/stream.ts) on random chains of
 * window ops: every row of every op is computed exactly once and in order,
 * the planned rings hold every row until its consumer has read it, and each
 * ring is the fewest rows that works: one row fewer loses a row (the
 * control). With one intermediate and bands of one row, a ring is at most
 * the consumer's window rows plus its stride minus one.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ringViolation, rowsNeeded, segmentSchedule, segmentSteps, type RowOp } from "../src/memplan/stream.js";
import { marginsOf } from "../src/kernels/access.js";

/** A window op over `inH` rows: random window, stride, dilation and padding (bottom padding up to the window's span). */
const rowOp = (inH: number) =>
  fc.record({ kH: fc.constantFrom(1, 2, 3, 5), strideH: fc.constantFrom(1, 1, 2, 3), dilH: fc.constantFrom(1, 1, 2), top: fc.nat(4), bottom: fc.nat(4) })
    .map(({ kH, strideH, dilH, top, bottom }): RowOp | undefined => {
      const span = (kH - 1) * dilH + 1, padTop = Math.min(top, span - 1), padBottom = Math.min(bottom, span - 1);
      const outH = Math.floor((inH + padTop + padBottom - span) / strideH) + 1;
      return outH >= 1 ? { inH, outH, kH, strideH, dilH, padTop } : undefined;
    });

/** A chain of one to four ops from an input of 1 to 40 rows. */
const chains = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 4, maxLength: 4 }))
  .map(([inH, length, seeds]) => {
    const ops: RowOp[] = [];
    let rows = inH;
    for (let k = 0; k < length; k++) {
      const o = fc.sample(rowOp(rows), { seed: seeds[k]!, numRuns: 1 })[0];
      if (!o) break;
      ops.push(o);
      rows = o.outH;
    }
    return ops;
  })
  .filter((ops) => ops.length > 0);

describe("segment schedule", () => {
  test("every row once, in order; the rings hold; one row fewer in any ring loses a row", () => {
    fc.assert(fc.property(chains, fc.integer({ min: 1, max: 4 }), (ops, bandRows) => {
      const s = segmentSchedule(ops, bandRows);
      // The rows each op must compute: all of the last op's, and what the next op's windows read (a strided window may skip the last rows).
      const need = ops.map((o) => o.outH);
      for (let k = ops.length - 2; k >= 0; k--) need[k] = rowsNeeded(ops[k + 1]!, need[k + 1]!);
      ops.forEach((_, k) => {
        const calls = s.calls.filter((c) => c.op === k);
        let next = 0;
        for (const c of calls) {
          expect(c.begin, `op ${k}'s calls follow each other`).toBe(next);
          expect(c.end).toBeGreaterThan(c.begin);
          next = c.end;
        }
        expect(next, `op ${k} computes the rows read`).toBe(need[k]);
      });
      expect(ringViolation(ops, s.calls, s.rings)).toBeUndefined();
      s.rings.forEach((rows, k) => {
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBeLessThanOrEqual(ops[k]!.outH);
        const smaller = s.rings.map((r, i) => (i === k ? r - 1 : r));
        expect(ringViolation(ops, s.calls, smaller), `ring ${k} of ${rows} rows, one fewer`).toBeDefined();
      });
    }), { numRuns: 400, seed: 11 });
  });

  test("one intermediate, bands of one row: the ring is at most the consumer's window rows + stride - 1", () => {
    fc.assert(fc.property(chains.filter((ops) => ops.length >= 2), (chain) => {
      const ops = chain.slice(0, 2), s = segmentSchedule(ops, 1), c = ops[1]!;
      expect(s.rings[0]).toBeLessThanOrEqual((c.kH - 1) * c.dilH + 1 + c.strideH - 1);
    }), { numRuns: 300, seed: 12 });
  });

  test("a 3x3 stride-1 chain streams through rings of three rows; its output may sit one row above its input", () => {
    const op = (h: number): RowOp => ({ inH: h, outH: h, kH: 3, strideH: 1, dilH: 1, padTop: 1 });
    const ops = [op(24), op(24), op(24)];
    const s = segmentSchedule(ops, 1);
    expect(s.rings).toEqual([3, 3]);
    // The first band computes three rows of op 0 and two of op 1; then one row of each op per band.
    expect(s.calls.filter((c) => c.op === 0).length).toBe(22);
    expect(s.calls.slice(0, 3)).toEqual([{ op: 0, begin: 0, end: 3 }, { op: 1, begin: 0, end: 2 }, { op: 2, begin: 0, end: 1 }]);
    // Output row y is written in the band that reads input rows up to y + 3; later bands read from row y + 2 on: the output may start one row above the input.
    const rowBytes = 100;
    const { forward } = marginsOf(segmentSteps(ops, s, rowBytes, rowBytes));
    expect(forward).toBe(rowBytes);
    expect(rowsNeeded(ops[0]!, 1)).toBe(2);
  });

  test("bad chains are refused with the reason", () => {
    expect(() => segmentSchedule([])).toThrow(/at least one op/);
    expect(() => segmentSchedule([{ inH: 8, outH: 8, kH: 3, strideH: 1, dilH: 1, padTop: 1 }, { inH: 7, outH: 7, kH: 1, strideH: 1, dilH: 1, padTop: 0 }])).toThrow(/reads 7 rows, op 0 writes 8/);
    expect(() => segmentSchedule([{ inH: 8, outH: 8, kH: 3, strideH: 1, dilH: 1, padTop: 1 }], 0)).toThrow(/band height 0/);
  });
});
