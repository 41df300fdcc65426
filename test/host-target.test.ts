/**
 * `--target host`: the generated C built with the host's C compiler and run
 * natively, compared with the reference output by output and layer by layer,
 * for models larger than any emulated part; nothing is counted or measured.
 * (A part-sized target refusing such a model at link time:
 * host-target.emu.test.ts.)
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { checkBudget } from "../src/budget.js";
import { runCompiled } from "../src/run.js";
import { overEveryPart } from "./generators.js";

describe("--target host", () => {
  const { big, unstreamed } = overEveryPart();

  test("a model over every emulated part's RAM runs bit-exact on the host, every layer", async () => {
    const c = compile(big, { ...unstreamed, target: "host" });
    expect(c.plan.arenaBytes).toBeGreaterThan(512 * 1024);
    const r = await runCompiled(c);
    expect(r.matches).toBe(true);
    expect(r.layers.length).toBe(c.graph.nodes.length);
    expect(r.layers.every((l) => l.matches)).toBe(true);
    expect(r.measured).toBe(false);
    expect(r.instructions).toBe(0);
    // A corrupted layer is caught here too.
    const corrupt = (src: string) => src.replace(/(static const int32_t op\d+_multiplier\[\d+\] TINYC_ALIGNED\(4\) TINYC_WEIGHTS_PLACE = \{\n\s*)(\d+)/, (_m, head: string, v: string) => `${head}${Number(v) - 12345678}`);
    expect(corrupt(c.generated.source)).not.toBe(c.generated.source);
    const bad = await runCompiled(c, { patchSource: corrupt });
    expect(bad.firstMismatchOp).toBeDefined();
  });

  test("CMSIS-NN and budget checks need a part-sized target", async () => {
    await expect(runCompiled(compile(big, { target: "host", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" }))).rejects.toThrow(/TC121.*--target host runs tinyc's own kernels/);
    await expect(checkBudget(compile(big, { ...unstreamed, target: "host" }), { ramBytes: 1 << 20, flashBytes: 1 << 20 })).rejects.toThrow(/TC121.*tinyc check.*needs a part-sized, emulated target/);
  });
});
