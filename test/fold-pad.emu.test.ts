/** PAD folding (fold-pad.test.ts): the folded network in QEMU, every layer. */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { dataBytes } from "../src/compiler/ir.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { runCompiled } from "../src/run.js";
import { padNetwork as network, roundTrip } from "./generators.js";
import { cmsisRoots, needsEmulator } from "./helpers.js";
import { inputFor, Random } from "./host-kernels.js";

describe("PAD folding", () => {
  test("the folded network in QEMU (Cortex-M4 portable, Cortex-M55 CMSIS-NN when a tree is given): bit-exact, every layer", async (ctx) => {
    needsEmulator(ctx);
    const g = roundTrip(network(true));
    const input = inputFor(new Random(5), g);
    const want = dataBytes(runReference(prepare(g), [input]).outputs[0]!);
    const configs = [compile(g), ...cmsisRoots().slice(0, 1).map((root) => compile(g, { target: "cortex-m55", backend: "cmsis-nn", cmsisNn: root }))];
    for (const c of configs) {
      const r = await runCompiled(c, { input: input as Int8Array });
      expect(r.matches, c.backend).toBe(true);
      expect(r.layers.every((l) => l.matches)).toBe(true);
      expect(Buffer.from(dataBytes(r.output))).toEqual(Buffer.from(want));
    }
  });
});
