/**
 * The overlap margins the kernel families declare are true of their C
 * kernels (portable, and dsp's with its intrinsics emulated):
 * random single-op models run on the host with the output placed exactly at
 * the margin from the input (forward, and reverse with the kernel run
 * backwards), unaligned, equal the reference bit for bit. A control moves the
 * output a few bytes past each margin, where the kernel overwrites input it
 * still needs: some of those cases must then differ, or the test could not
 * catch a wrong margin.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Graph } from "../src/compiler/ir.js";
import type { Backend } from "../src/kernels/registry.js";
import { convLike, CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases, marginFor, mismatches, type HostCase, type Random } from "./host-kernels.js";

const OPS = ["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "MUL", "RELU", "RELU6", "HARD_SWISH", "LOGISTIC", "QUANTIZE"];
const GENERATORS: Record<string, (r: Random, i: number) => Graph | undefined> = { ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS };
const CASES = 120;

interface KernelUnderTest {
  readonly op: string;
  readonly backend: Backend;
  readonly gen: (r: Random, i: number) => Graph | undefined;
  /** The kernel can also run in reverse. */
  readonly reverse: boolean;
}

const elementwise = ["ADD", "MUL", "RELU", "RELU6", "HARD_SWISH", "LOGISTIC", "QUANTIZE"];
const KERNELS: KernelUnderTest[] = [
  ...OPS.map((op) => ({ op, backend: "portable" as const, gen: GENERATORS[op]!, reverse: !elementwise.includes(op) })),
  { op: "CONV_2D", backend: "dsp", gen: GENERATORS.CONV_2D!, reverse: true },
  { op: "DEPTHWISE_CONV_2D", backend: "dsp", gen: (r, i) => convLike(r, true, i, { maxChannels: 13, depthMultiplier: 1 }), reverse: true },
  { op: "AVERAGE_POOL_2D", backend: "dsp", gen: GENERATORS.AVERAGE_POOL_2D!, reverse: true },
];

describe.each(KERNELS.map((k) => ({ ...k, name: `${k.op} (${k.backend})` })))("$name: output at the declared overlap margin", ({ op, backend, gen, reverse: window }) => {
  const cases = generateCases(0x0ae1 + op.length * 31337, CASES, gen).map((k) => ({ ...k, backend }));
  const at = (direction: "forward" | "reverse", nudge = 0): HostCase[] =>
    cases.filter((k) => marginFor(compile(k.graph, { backend }), direction) !== undefined).map((k) => ({ ...k, graph: { ...k.graph, name: `${k.graph.name}_${direction}` }, relocate: direction, nudge }));

  test("forward and reverse, bit-exact", async () => {
    const forward = at("forward"), reverse = window ? at("reverse") : [];
    expect(forward.length, "cases whose buffers can overlap forward").toBeGreaterThan(CASES / 3);
    if (window) expect(reverse.length, "cases whose buffers can overlap in reverse").toBeGreaterThan(CASES / 3);
    expect(await mismatches([...forward, ...reverse]), "cases where C at the margin differs from the reference").toEqual([]);
  });

  test("a few bytes past the margin, some cases break", async () => {
    const past = [...at("forward", 4), ...(window ? at("reverse", 4) : [])];
    expect((await mismatches(past)).length).toBeGreaterThan(0);
  });
});
