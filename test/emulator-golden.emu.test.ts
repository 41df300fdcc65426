/**
 * Both of tinyc's kernel families in QEMU, bit-exact with TensorFlow Lite
 * Micro's golden bytes for both shared models, every golden input: the
 * portable kernels on Cortex-M3 (no DSP extension, soft float), M4, M7 and
 * M55; the dsp kernels' real DSP instructions on Cortex-M4, M7 and M33 (that
 * they run every convolution: emulator-golden.test.ts).
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { MEMORY_OPTIONS, type MemoryOption } from "../src/memory_options.js";
import { goldenBytes, goldenCases, GOLDEN_RUNS as RUNS, MODEL_NAMES, modelPath, needsEmulator } from "./helpers.js";

describe.each(RUNS)("$backend on $target", ({ backend, target }) => {
  describe.each(MODEL_NAMES)("%s", (m) => {
    const compiled = compile(modelPath(m), { target, backend });
    test.for(goldenCases(m))("golden case %s", async (c, ctx) => {
      needsEmulator(ctx);
      const r = await runCompiled(compiled, { input: goldenBytes(m, "input", c) });
      expect([...r.output]).toEqual([...goldenBytes(m, "output", c)]);
      expect(r.matches).toBe(true);
      expect(r.firstMismatchOp).toBeUndefined();
      expect(r.instructions).toBeGreaterThan(1_000_000);
      expect(r.stackHighWaterBytes).toBeGreaterThan(0);
      expect(r.stackHighWaterBytes).toBeLessThan(4096);
    });
  });
});

/**
 * Each memory option turned off on its own (and all of them): the plan changes,
 * and the code is still bit-exact with the golden bytes, so the comparison the
 * flag offers is between two correct programs.
 */
describe.each(MODEL_NAMES)("%s with memory options off, on cortex-m4", (m) => {
  const all = compile(modelPath(m));
  test.for(["all", "overlap", "depthwise-inplace", "overlap,depthwise-inplace"])("--disable %s", async (off, ctx) => {
    needsEmulator(ctx);
    const disable = off === "all" ? MEMORY_OPTIONS : (off.split(",") as MemoryOption[]);
    const c = compile(modelPath(m), { disable });
    expect(c.plan.options.some((o) => disable.includes(o))).toBe(false);
    expect(c.generated.source).not.toBe(all.generated.source);
    const k = goldenCases(m)[0]!;
    const r = await runCompiled(c, { input: goldenBytes(m, "input", k) });
    expect([...r.output]).toEqual([...goldenBytes(m, "output", k)]);
    expect(r.firstMismatchOp).toBeUndefined();
  });
});

describe.each(MODEL_NAMES)("%s with greedy placement and every memory option, on cortex-m4", (m) => {
  test("bit-exact, kernels in reverse where the plan says", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(modelPath(m), { placement: "greedy" });
    expect(c.plan.rules.length).toBeGreaterThan(0);
    const k = goldenCases(m)[0]!;
    const r = await runCompiled(c, { input: goldenBytes(m, "input", k) });
    expect([...r.output]).toEqual([...goldenBytes(m, "output", k)]);
    expect(r.firstMismatchOp).toBeUndefined();
  });
});
