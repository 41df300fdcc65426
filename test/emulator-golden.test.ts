/**
 * The dsp kernel family on the cores whose golden cases run in QEMU
 * (emulator-golden.emu.test.ts): its own kernels run every convolution and
 * fully connected layer of both shared models.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { GOLDEN_RUNS as RUNS, MODEL_NAMES, modelPath } from "./helpers.js";

describe.each(RUNS.filter((run) => run.backend === "dsp"))("$backend on $target", ({ backend, target }) => {
  describe.each(MODEL_NAMES)("%s", (m) => {
    const compiled = compile(modelPath(m), { target, backend });
    test("the DSP kernels run every convolution and fully connected layer", () => {
      const convs = compiled.graph.nodes.filter((n) => n.kind === "CONV_2D" || n.kind === "DEPTHWISE_CONV_2D" || n.kind === "FULLY_CONNECTED").length;
      expect(compiled.generated.source.match(/tinyc_dsp_(conv2d|depthwise)\w*_s8\(/g)?.length).toBe(convs);
    });
  });
});
