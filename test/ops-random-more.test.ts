/**
 * Random-parameter tests for the element-wise, activation and data-movement
 * ops (200 cases each, as in ops-random.test.ts): broadcasting shapes, zero
 * points -128 and 127, scales that give shifts of both signs.
 */
import { describe, expect, test } from "vitest";
import { ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases, mismatches } from "./host-kernels.js";

const CASES = 200;

describe.each(Object.keys(ELEMENTWISE_GENERATORS))("%s: portable C on the host equals the reference", (op) => {
  test(`${CASES} random cases`, async () => {
    const cases = generateCases(0xc0ffee + op.length * 104729, CASES, ELEMENTWISE_GENERATORS[op]!);
    expect(await mismatches(cases), "cases where C and the reference differ").toEqual([]);
    const zps = new Set(cases.flatMap((k) => k.graph.tensors.flatMap((t) => (t.data ? [] : t.quant?.zeroPoint ?? []))));
    expect(zps.has(-128) && zps.has(127)).toBe(true);
    if (op === "QUANTIZE_FROM_FLOAT") expect(cases.some((k) => k.input.some((v) => Number.isNaN(v)))).toBe(true);
  });
});
