/**
 * Random-parameter tests: for every op, 200 single-op models with random shapes
 * and quantization (zero points -128 and 127 included, channel counts that are
 * not multiples of 4, requantization shifts of both signs, stride 2, SAME
 * padding on odd sizes), run through the portable C kernel on the host and
 * compared with the TypeScript reference, bit for bit.
 */
import { describe, expect, test } from "vitest";
import { CONV_GENERATORS } from "./generators.js";
import { generateCases, mismatches } from "./host-kernels.js";

const CASES = 200;

describe.each(Object.keys(CONV_GENERATORS))("%s: portable C on the host equals the reference", (op) => {
  test(`${CASES} random cases`, async () => {
    const cases = generateCases(0x5eed + op.length * 7919, CASES, CONV_GENERATORS[op]!);
    expect(await mismatches(cases), "cases where C and the reference differ").toEqual([]);
    // The cases cover what they claim to.
    const zps = new Set(cases.flatMap((k) => k.graph.tensors.flatMap((t) => (t.data ? [] : t.quant?.zeroPoint ?? []))));
    expect(zps.has(-128) && zps.has(127)).toBe(true);
  });
});
