/** Concatenation inputs written into their slices (concat-slices.test.ts), in QEMU, layer by layer. */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { concatChannels as channels, concatRows as rows } from "./generators.js";
import { needsEmulator } from "./helpers.js";

describe("concatenation inputs written into their slices", () => {
  test("bit-exact in QEMU, every layer (producers hashed through their stride)", async (ctx) => {
    needsEmulator(ctx);
    for (const g of [channels(4), rows(4)]) {
      const run = await runCompiled(compile(g));
      expect(run.matches, g.name).toBe(true);
      expect(run.layers.every((l) => l.matches), g.name).toBe(true);
    }
  });
});
