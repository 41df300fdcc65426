/**
 * The dsp family's kernels on the host, where each ACLE intrinsic runs as its
 * exact C emulation: 200 random single-op models per kernel shape (the
 * portable tests' generator: zero points -128 and 127, channel counts that
 * are not multiples of 4, odd sizes, stride 2, SAME padding on odd sizes,
 * shifts of both signs, dilation, depth multipliers, batches) equal the
 * TypeScript reference bit for bit. The cases must run the DSP kernel itself,
 * not the portable fallback, or the test would prove nothing.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Graph } from "../src/compiler/ir.js";
import { convLike } from "./generators.js";
import { generateCases, mismatches, type Random } from "./host-kernels.js";
import { needsEmulator } from "./helpers.js";

const CASES = 200;

interface Kernel {
  readonly gen: (r: Random, i: number) => Graph | undefined;
  readonly call: string;
  readonly native: number;
}

const KERNELS: Record<string, Kernel> = {
  "CONV_2D, any window": { gen: (r, i) => convLike(r, false, i), call: "tinyc_dsp_conv2d_s8(", native: 0.95 },
  "CONV_2D, 1x1 and 3x3 over up to 24 channels": { gen: (r, i) => convLike(r, false, i, { window: r.pick([[1, 1], [3, 3]] as const), maxChannels: 24 }), call: "tinyc_dsp_conv2d_s8(", native: 0.95 },
  "DEPTHWISE_CONV_2D 3x3": { gen: (r, i) => convLike(r, true, i, { window: [3, 3], maxChannels: 9 }), call: "tinyc_dsp_depthwise3x3_s8(", native: 0.95 },
};

describe.each(Object.keys(KERNELS))("%s: the dsp family's C on the host equals the reference", (name) => {
  const k = KERNELS[name]!;
  test(`${CASES} random cases`, async () => {
    const cases = generateCases(0xd5b + name.length * 104729, CASES, k.gen).map((c) => ({ ...c, backend: "dsp" as const }));
    const native = cases.filter((c) => compile(c.graph, { target: "cortex-m4", backend: "dsp" }).generated.source.includes(k.call));
    expect(native.length, "cases the DSP kernel runs itself").toBeGreaterThanOrEqual(CASES * k.native);
    expect(await mismatches(cases), "cases where C and the reference differ").toEqual([]);
  });
});

/**
 * The same kernels' real DSP instructions: each kernel shape's cases built
 * into one firmware image per core and run once in QEMU (M4: Armv7E-M; M33:
 * Armv8-M Mainline), bit-exact with the reference.
 */
describe.each(["cortex-m4", "cortex-m33"])("in QEMU on %s", (target) => {
  test.for(Object.keys(KERNELS))("%s: 100 random cases in one image", async (name, ctx) => {
    needsEmulator(ctx);
    const cases = generateCases(0x9e3 + name.length * 7919, 100, KERNELS[name]!.gen).map((c) => ({ ...c, backend: "dsp" as const }));
    expect(await mismatches(cases, target), "cases where the firmware and the reference differ").toEqual([]);
  });
});
