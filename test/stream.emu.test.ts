/**
 * Row streaming (stream.test.ts) in QEMU, for tinyc's portable and DSP kernel
 * families: batches of the random streamed chains and inverted bottlenecks,
 * and the shared models and the zoo's defaults within the arenas,
 * bit-exact.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { invertedBottleneck, streamedChains as chains } from "./generators.js";
import { mismatches } from "./host-kernels.js";
import { modelPath, needsEmulator } from "./helpers.js";
import { buildZoo } from "../src/zoo/index.js";

describe.each(["portable", "dsp"] as const)("row streaming, %s kernels", (backend) => {
  const cases = chains(150, 2026, backend);

  for (const target of ["cortex-m4", "cortex-m33"]) {
    test(`a batch of streamed chains in QEMU (${target})`, async (ctx) => {
      needsEmulator(ctx);
      expect(await mismatches(cases.slice(0, 60), target), "chains where the firmware differs from the reference").toEqual([]);
    });
  }

  describe("inverted bottlenecks", () => {
    const blocks = chains(60, 11, backend, invertedBottleneck);

    for (const target of ["cortex-m4", "cortex-m55"]) {
      test(`a batch of streamed blocks in QEMU (${target})`, async (ctx) => {
        needsEmulator(ctx);
        expect(await mismatches(blocks.slice(0, 30), target), "blocks where the firmware differs from the reference").toEqual([]);
      });
    }
  });

  for (const target of ["cortex-m4", "cortex-m55"]) {
    test(`the shared models${target === "cortex-m4" ? " and the zoo's defaults" : ""} stream within the issue's arenas, bit-exact in QEMU (${target})`, async (ctx) => {
      needsEmulator(ctx);
      // The zoo's (larger) networks on the Cortex-M4 only, to keep the suite's time.
      const models = [
        ["person_detect", modelPath("person_detect"), 20480], ["vww_96_int8", modelPath("vww_96_int8"), 28672],
        ...(target === "cortex-m4" ? [["isometric", buildZoo("isometric"), 36864], ["mobilenet-v2", buildZoo("mobilenet-v2"), 40960]] as const : []),
      ] as const;
      for (const [name, model, limit] of models) {
        const c = compile(model, { target, backend });
        expect(c.plan.segments.length, `${name}: segments`).toBeGreaterThan(0);
        // The issue's arenas are for the Cortex-M4; elsewhere the kernels' scratch may differ.
        if (target === "cortex-m4") expect(c.plan.arenaBytes, `${name}: streamed arena`).toBeLessThanOrEqual(limit);
        const r = await runCompiled(c);
        expect(r.matches, `${name}: output`).toBe(true);
        expect(r.layers.every((l) => l.matches), `${name}: every layer`).toBe(true);
      }
    });
  }
});
