/** The dsp family's kernels (dsp-kernels.test.ts) with their real instructions, in QEMU. */
import { describe, expect, test } from "vitest";
import { DSP_KERNELS as KERNELS } from "./generators.js";
import { generateCases, mismatches } from "./host-kernels.js";
import { needsEmulator } from "./helpers.js";

/**
 * The same kernels' real DSP instructions: each kernel shape's cases built
 * into one firmware image per core and run once in QEMU (M4: Armv7E-M; M33:
 * Armv8-M Mainline), bit-exact with the reference.
 */
describe.each(["cortex-m4", "cortex-m33"])("in QEMU on %s", (target) => {
  test.for(Object.keys(KERNELS))("%s: 100 random cases in one image", async (name, ctx) => {
    needsEmulator(ctx);
    const cases = generateCases(0x9e3 + name.length * 7919, 100, KERNELS[name]!.gen).map((c) => ({ ...c, backend: "dsp" as const }));
    expect(await mismatches(cases, target), "cases where the firmware and the reference differ").toEqual([]);
  });
});
