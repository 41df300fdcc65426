/** Fixed-point primitives against a BigInt transcription of their definitions. */
import { describe, expect, test } from "vitest";
import { multiplyByQuantizedMultiplier, rdbp, srdhm } from "../src/compiler/numerics/fixedpoint.js";
import { frexp, quantizeMultiplier, activationRange } from "../src/compiler/numerics/quantize.js";
import { xorshiftInput } from "../src/inputs.js";

function srdhmBig(a: number, b: number): number {
  if (a === -2147483648 && b === -2147483648) return 2147483647;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, like C
}

function randomInt32s(n: number, seed: number): number[] {
  const bytes = xorshiftInput(seed, n * 4);
  const view = new DataView(bytes.buffer);
  const special = [0, 1, -1, 2147483647, -2147483648, 1 << 30, -(1 << 30), 65535, -65536];
  return [...special, ...Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true) >> (i % 24))];
}

describe("fixed point", () => {
  test("srdhm equals the 64-bit definition", () => {
    const xs = randomInt32s(3000, 7), ys = randomInt32s(3000, 11);
    for (let i = 0; i < xs.length; i++) expect(srdhm(xs[i]!, ys[i]!), `${xs[i]} * ${ys[i]}`).toBe(srdhmBig(xs[i]!, ys[i]!));
  });

  test("rdbp rounds half away from zero", () => {
    expect(rdbp(5, 1)).toBe(3);
    expect(rdbp(-5, 1)).toBe(-3);
    expect(rdbp(4, 1)).toBe(2);
    expect(rdbp(-7, 2)).toBe(-2);
    expect(rdbp(-2147483648, 31)).toBe(-1);
    for (const x of randomInt32s(500, 3)) for (const e of [0, 1, 5, 17, 31]) {
      const exact = x / 2 ** e;
      expect(rdbp(x, e) + 0).toBe(Math.sign(exact) * Math.floor(Math.abs(exact) + 0.5) + 0);
    }
  });

  test("quantizeMultiplier follows frexp and rounds to Q31", () => {
    expect(frexp(0.75)).toEqual({ mantissa: 0.75, exponent: 0 });
    expect(frexp(3)).toEqual({ mantissa: 0.75, exponent: 2 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 1073741824, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 1073741824, shift: 1 });
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    const q = quantizeMultiplier(0.0123);
    expect(q.multiplier * 2 ** (q.shift - 31)).toBeCloseTo(0.0123, 9);
  });

  test("multiplyByQuantizedMultiplier applies left and right shifts", () => {
    expect(multiplyByQuantizedMultiplier(1000, 1073741824, 0)).toBe(500);
    expect(multiplyByQuantizedMultiplier(1000, 1073741824, 2)).toBe(2000);
    expect(multiplyByQuantizedMultiplier(-1001, 1073741824, -1)).toBe(-250);
  });

  test("activation ranges quantize 0 and 6 with the output scale", () => {
    expect(activationRange("NONE", 0.1, 3)).toEqual({ min: -128, max: 127 });
    expect(activationRange("RELU", 0.1, -128)).toEqual({ min: -128, max: 127 });
    expect(activationRange("RELU6", 0.05, -128)).toEqual({ min: -128, max: -8 });
    expect(activationRange("RELU_N1_TO_1", 0.01, 0)).toEqual({ min: -100, max: 100 });
  });
});
