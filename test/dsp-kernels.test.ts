/**
 * The dsp family's kernels on the host, where each ACLE intrinsic runs as its
 * exact C emulation: 200 random single-op models per kernel shape (the
 * portable tests' generator: zero points -128 and 127, channel counts that
 * are not multiples of 4, odd sizes, stride 2, SAME padding on odd sizes,
 * shifts of both signs, dilation, depth multipliers, batches) equal the
 * TypeScript reference bit for bit. The cases must run the DSP kernel itself,
 * not the portable fallback, or the test would prove nothing. Their real
 * instructions in QEMU: dsp-kernels.emu.test.ts.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { DSP_KERNELS as KERNELS } from "./generators.js";
import { GraphBuilder, generateCases, mismatches } from "./host-kernels.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";

const CASES = 200;

/**
 * The channels of op 0 whose output is constant: code 0 in the matrix
 * kernel's shift table, or those the pair kernel's order lists after its
 * pairs (`.pairs`).
 */
function constantChannels(source: string): number[] {
  const shift = /op0_shift\[\d+\][^{]*\{([^}]*)\}/.exec(source);
  if (shift) return shift[1]!.split(",").flatMap((v, c) => (v.trim() === "0" ? [c] : []));
  const order = /op0_order\[\d+\][^{]*\{([^}]*)\}/.exec(source), pairs = /\.pairs = (\d+),/.exec(source);
  const listed = order ? order[1]!.split(",").filter((v) => v.trim() !== "").map(Number) : [];
  return pairs ? listed.slice(2 * Number(pairs[1])) : [];
}

/** Whether a generated model has a matrix-kernel channel whose output is constant. */
const hasConstantChannel = (source: string) => constantChannels(source).length > 0;

describe.each(Object.keys(KERNELS))("%s: the dsp family's C on the host equals the reference", (name) => {
  const k = KERNELS[name]!;
  test(`${CASES} random cases`, async () => {
    const cases = generateCases(0xd5b + name.length * 104729, CASES, k.gen).map((c) => ({ ...c, backend: "dsp" as const }));
    const sources = cases.map((c) => compile(c.graph, { target: "cortex-m4", backend: "dsp" }).generated.source);
    expect(sources.filter((s) => k.call.test(s)).length, "cases the DSP kernel runs itself").toBeGreaterThanOrEqual(CASES * k.native);
    for (const v of k.variants ?? []) expect(sources.filter((s) => s.includes(`${v}(`)).length, `cases calling ${v}`).toBeGreaterThanOrEqual(CASES * 0.05);
    if (k.constant) expect(sources.filter(hasConstantChannel).length, "cases with a constant channel").toBeGreaterThanOrEqual(CASES * k.constant);
    // Where eight pixels' windows would outweigh the op's tensors, the matrix kernel takes blocks of four or one.
    for (const size of k.smallBlocks ? [4, 1] : []) expect(sources.filter((s) => s.includes(`.block = ${size},`)).length, `cases in blocks of ${size}`).toBeGreaterThanOrEqual(CASES * 0.05);
    expect(await mismatches(cases), "cases where C and the reference differ").toEqual([]);
  });
});

/**
 * The matrix kernel leaves out a channel whose output cannot change: at the
 * limit. One input channel, weight 100, no activation: the bias sweeps across
 * the value where the largest accumulator (input 127) first lifts the output
 * off -128. Every case equals the reference with the extremes as input, the
 * sweep must hold both kinds of channel, and just past the last constant bias
 * the extremes really give two outputs (so calling it constant would be wrong).
 */
describe("constant channels at the limit", () => {
  const graphFor = (bias: number) => {
    const b = new GraphBuilder();
    const input = b.activation("input", [1, 1, 2, 1], 0.05, 0);
    const filter = b.int8Const("filter", [2, 1, 1, 1], Int8Array.from([100, 100]), [0.01], 0);
    const biasId = b.int32Const("bias", Int32Array.from([bias, -(1 << 30)]), 0.05 * 0.01);
    const output = b.activation("output", [1, 1, 2, 2], 0.05, -128);
    return b.graph(`limit${bias}`, { kind: "CONV_2D", inputs: [input, filter, biasId], outputs: [output], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } }, input, output);
  };
  const extremes = Int8Array.from([127, -128]);
  const biases = Array.from({ length: 41 }, (_, i) => -12_670 + i);
  const constantFirst = (bias: number) => {
    return constantChannels(compile(graphFor(bias), { target: "cortex-m4", backend: "dsp" }).generated.source).includes(0);
  };
  test("the sweep crosses the limit and every case equals the reference", async () => {
    const kinds = biases.map(constantFirst);
    expect(kinds.includes(true) && kinds.includes(false), "both constant and computed channels in the sweep").toBe(true);
    const cases = biases.map((bias) => ({ graph: graphFor(bias), input: extremes, backend: "dsp" as const }));
    expect(await mismatches(cases), "cases where C and the reference differ").toEqual([]);
  });
  test("control: the first computed bias gives two outputs at the extremes", () => {
    const first = biases.find((bias) => !constantFirst(bias))!;
    const out = runReference(prepare(graphFor(first)), [extremes]).outputs[0]! as Int8Array;
    expect(out[0], "channel 0 at input 127 and at -128").not.toBe(out[2]);
    const before = runReference(prepare(graphFor(first - 1)), [extremes]).outputs[0]! as Int8Array;
    expect(before[0], "one step below: the same output at both extremes").toBe(before[2]);
  });
});

/**
 * The average pool's division (tinyc_dsp_pool.c, pool_average), emulated
 * here for every cell count the kernel takes and every window sum s of that
 * many int8 values: floor((s + 256 c + k) * ceil(2^32 / c) / 2^32) - 256,
 * k = c / 2 (less 1 when c is even and s <= 0), equals TFLite's rounding
 * division s > 0 ? (s + c/2) / c : (s - c/2) / c (truncating). The product
 * stays below 2^53, so doubles hold it exactly.
 */
describe("the average pool's division", () => {
  const tflite = (s: number, c: number) => Math.trunc(s > 0 ? (s + Math.floor(c / 2)) / c : (s - Math.floor(c / 2)) / c);
  const kernel = (s: number, c: number) => {
    const even = c % 2 === 0 ? 1 : 0, recip = c > 1 ? Math.floor(0xffffffff / c) + 1 : 0;
    const m = s + 256 * c + Math.floor(c / 2) - even + (even && s > 0 ? 1 : 0);
    return (c === 1 ? m : Math.floor((m * recip) / 2 ** 32)) - 256;
  };
  test("exact for every count up to 256 cells and every sum", () => {
    const wrong: string[] = [];
    for (let c = 1; c <= 256 && wrong.length < 5; c++) {
      for (let s = -128 * c; s <= 127 * c; s++) if (kernel(s, c) !== tflite(s, c)) wrong.push(`c ${c} s ${s}`);
    }
    expect(wrong).toEqual([]);
  });
  test("control: without the even counts' correction ties of negative sums round the wrong way", () => {
    const plain = (s: number, c: number) => Math.floor((s + 256 * c + Math.floor(c / 2)) / c) - 256;
    expect(plain(-1, 2)).not.toBe(tflite(-1, 2));
  });
});
