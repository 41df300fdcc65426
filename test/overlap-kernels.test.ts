/**
 * The overlap margins op modules declare are true of the portable C kernels:
 * random single-op models run on the host with the output placed exactly at
 * the margin from the input (forward, and reverse with the kernel run
 * backwards), unaligned, equal the reference bit for bit. A control moves the
 * output a few bytes past each margin, where the kernel overwrites input it
 * still needs: some of those cases must then differ, or the test could not
 * catch a wrong margin.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases, marginFor, mismatches, type HostCase } from "./host-kernels.js";

const OPS = ["CONV_2D", "DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "MUL", "RELU", "RELU6", "HARD_SWISH", "LOGISTIC", "QUANTIZE"];
const GENERATORS = { ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS };
const CASES = 120;

describe.each(OPS)("%s: output at the declared overlap margin", (op) => {
  const cases = generateCases(0x0ae1 + op.length * 31337, CASES, GENERATORS[op]!);
  const at = (direction: "forward" | "reverse", nudge = 0): HostCase[] =>
    cases.filter((k) => marginFor(compile(k.graph), direction) !== undefined).map((k) => ({ ...k, graph: { ...k.graph, name: `${k.graph.name}_${direction}` }, relocate: direction, nudge }));
  const window = !["ADD", "MUL", "RELU", "RELU6", "HARD_SWISH", "LOGISTIC", "QUANTIZE"].includes(op);

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
