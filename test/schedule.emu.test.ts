/**
 * Operator reordering (schedule.test.ts): the reordered code in QEMU, layer by
 * layer in execution order.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { twoBranches } from "./generators.js";
import { Random } from "./host-kernels.js";
import { needsEmulator } from "./helpers.js";

describe("operator reordering", () => {
  test("reordered code is bit-exact in QEMU, layer by layer in execution order", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(twoBranches(new Random(5)));
    const run = await runCompiled(c);
    expect(run.matches).toBe(true);
    expect(run.layers.map((l) => l.op)).toEqual(c.graph.nodes.map((n) => n.index));
    // Streamed ops run inside the segment's last op, which counts their instructions.
    expect(run.layers.every((l) => l.matches && (l.instructions > 0) !== l.kernel.endsWith("(streamed)"))).toBe(true);
  });
});
