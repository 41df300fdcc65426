/**
 * The portable backend in QEMU, bit-exact with TensorFlow Lite Micro's golden
 * bytes for both shared models, every golden input, on Cortex-M4, M7 and M55.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { goldenBytes, goldenCases, MODEL_NAMES, modelPath, needsEmulator } from "./helpers.js";

const TARGETS = ["cortex-m4", "cortex-m7", "cortex-m55"];

describe.each(TARGETS)("portable on %s", (target) => {
  describe.each(MODEL_NAMES)("%s", (m) => {
    const compiled = compile(modelPath(m), { target, backend: "portable" });
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
