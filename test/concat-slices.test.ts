/**
 * Concatenation inputs written by their producers straight into their slice
 * of the output: along the channels (producers write pixels at the output's
 * pixel stride) and along an outer axis (whole blocks). The concatenation runs
 * nothing, the arena shrinks, and the code is bit-exact on the host (and, layer
 * by layer, in QEMU: concat-slices.emu.test.ts). Inputs read elsewhere keep the copy.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { concatChannels as channels, concatRows as rows } from "./generators.js";
import { inputFor, mismatches, Random } from "./host-kernels.js";

describe("concatenation inputs written into their slices", () => {
  test.each([["channels", channels], ["rows", rows]] as const)("along the %s: nothing to run, a smaller arena", (_, make) => {
    const g = make(1);
    // The portable kernels' scratch-free convolutions; with the dsp family's scratch the saving can vanish (see the plan).
    const sliced = compile(g, { backend: "portable" }), copied = compile(g, { backend: "portable", disable: ["concat-slices"] });
    const concat = g.nodes.find((n) => n.kind === "CONCATENATION")!.index;
    expect([...sliced.plan.elided]).toEqual([concat]);
    expect(copied.plan.elided.size).toBe(0);
    expect(sliced.plan.arenaBytes).toBeLessThan(copied.plan.arenaBytes);
    expect(sliced.generated.source).toContain("nothing to run: its inputs were written into their slices of the output");
    expect(sliced.generated.kernelFiles).not.toContain("tinyc_data.c"); // no block copies
  });

  test("an input read elsewhere too keeps the copy", () => {
    const c = compile(channels(1, true));
    expect(c.plan.elided.size).toBe(0);
  });

  test("bit-exact with the reference on the host", async () => {
    const r = new Random(3);
    const cases = [1, 2, 3].flatMap((seed) => [channels(seed), rows(seed), channels(seed, true)]).map((g) => ({ graph: g, input: inputFor(r, g) }));
    expect(cases.filter((k) => compile(k.graph).plan.elided.size > 0)).toHaveLength(6);
    expect(await mismatches(cases)).toEqual([]);
  });
});
