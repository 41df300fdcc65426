/**
 * `--stream-input` (stream-input.test.ts) in QEMU: batches of the random
 * window chains, the shared models and the zoo's isometric within the issue's
 * 20,480 bytes, bit-exact every layer, and a row callback's error.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { streamInputCases } from "./generators.js";
import { buildZoo } from "../src/zoo/index.js";
import { mismatches } from "./host-kernels.js";
import { goldenBytes, modelPath, needsEmulator } from "./helpers.js";

describe.each(["portable", "dsp"] as const)("streamed input, %s kernels", (backend) => {
  const cases = streamInputCases(backend);

  for (const target of ["cortex-m4", "cortex-m55"]) {
    test(`a batch in QEMU (${target})`, async (ctx) => {
      needsEmulator(ctx);
      expect(await mismatches(cases.slice(0, 40), target), "chains where the firmware differs from the reference").toEqual([]);
    });
  }

  test("the shared models fit 20,480 bytes with the input streamed, bit-exact every layer and equal to the golden output; the zoo's isometric too (cortex-m4)", async (ctx) => {
    needsEmulator(ctx);
    for (const m of ["person_detect", "vww_96_int8"] as const) {
      const c = compile(modelPath(m), { target: "cortex-m4", backend, streamInput: true });
      expect(c.plan.arenaBytes, `${m}: arena`).toBeLessThanOrEqual(20480);
      const input = goldenBytes(m, "input", "seed1");
      const run = await runCompiled(c, { input });
      expect(run.matches, `${m}: output`).toBe(true);
      expect(run.layers.every((l) => l.matches), `${m}: every layer`).toBe(true);
      expect([...run.output]).toEqual([...goldenBytes(m, "output", "seed1")]);
    }
    // The zoo's isometric default: its SPACE_TO_DEPTH stem reads the streamed input (with the dsp kernels, alone: a segment of one op).
    const iso = compile(buildZoo("isometric"), { target: "cortex-m4", backend, streamInput: true });
    expect(iso.plan.segments[0]!.ops.slice(0, backend === "dsp" ? 2 : 1)).toEqual([iso.graph.nodes[0]!.index]);
    const run = await runCompiled(iso);
    expect(run.matches, "isometric: output").toBe(true);
    expect(run.layers.every((l) => l.matches && l.instructions >= 0), "isometric: every layer").toBe(true);
  });
});

test("a row callback's error stops invoke(), which the run names (cortex-m4)", async (ctx) => {
  needsEmulator(ctx);
  const c = compile(modelPath("person_detect"), { target: "cortex-m4", streamInput: true });
  // The harness's callback refuses a row past the image: ask for row y + 96.
  const past = (src: string) => src.replace(/_input0_row\(fetched, /, "_input0_row(fetched + 96, ");
  expect(past(c.generated.source)).not.toBe(c.generated.source);
  const err = await runCompiled(c, { patchSource: past }).then(() => undefined, (e: unknown) => e);
  expect(String(err)).toMatch(/TC146 \(inference stopped\) in .*person_detect\.tflite, op 0, tensor '[^']+': invoke\(\) returned 1: op 0 stopped the inference/);
});
