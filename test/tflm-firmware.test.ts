/** The bench's TensorFlow Lite Micro firmware driver (src/bench/tflm.ts): the model's operators and the trees it needs. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { modelOperators, tflmTrees } from "../src/bench/tflm.js";
import { GOLDEN, MODEL_NAMES, modelPath } from "./helpers.js";

describe("modelOperators", () => {
  test.each(MODEL_NAMES)("%s: the operator kinds the golden files record, each once", (m) => {
    const meta = JSON.parse(readFileSync(join(GOLDEN, m, "meta.json"), "utf8")) as { op_types: string[] };
    const ops = modelOperators(modelPath(m));
    expect(new Set(ops).size).toBe(ops.length);
    expect([...ops].sort()).toEqual([...meta.op_types].sort());
  });
});

describe("tflmTrees", () => {
  test("names the first variable that is missing or points at the wrong tree", () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyc-tflm-trees-"));
    try {
      const tree = (name: string, marker: string) => {
        mkdirSync(join(dir, name, marker, ".."), { recursive: true });
        writeFileSync(join(dir, name, marker), "");
        return join(dir, name);
      };
      const tflm = tree("tflm", "tensorflow/lite/micro/micro_interpreter.h");
      const cmsisNn = tree("nn", "Include/arm_nnfunctions.h");
      const cmsis = tree("cmsis", "CMSIS/Core/Include/cmsis_compiler.h");
      expect(tflmTrees({})).toEqual({ missing: expect.stringMatching(/^TFLM_ROOT is not set/) });
      expect(tflmTrees({ TFLM_ROOT: tflm, CMSIS_NN_ROOT: cmsis })).toEqual({ missing: expect.stringMatching(/^CMSIS_NN_ROOT=.* is not an ARM-software\/CMSIS-NN checkout/) });
      expect(tflmTrees({ TFLM_ROOT: tflm, CMSIS_NN_ROOT: cmsisNn })).toEqual({ missing: expect.stringMatching(/^CMSIS_ROOT is not set/) });
      expect(tflmTrees({ TFLM_ROOT: tflm, CMSIS_NN_ROOT: cmsisNn, CMSIS_ROOT: cmsis })).toEqual({ tflm, cmsisNn, cmsis });
      expect(tflmTrees({ TFLM_ROOT: tflm, CMSIS_NN_ROOT: cmsisNn, CMSIS_ROOT: cmsis, CORTEX_DFP_ROOT: "/dfp" })).toEqual({ tflm, cmsisNn, cmsis, cortexDfp: "/dfp" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the recorded TFLM cycles (bench/tflm-cycles.json)", () => {
  test("every model on every modelled core with both kernel sets; the per-kind cycles add up to the inference", async () => {
    const { recordedTflmCycles, TFLM_CORES } = await import("../src/bench/tflm_cycles.js");
    for (const m of MODEL_NAMES) {
      for (const core of TFLM_CORES) {
        for (const kernels of ["cmsis-nn", "reference"] as const) {
          const r = recordedTflmCycles(modelPath(m), core, kernels);
          expect(r, `${m} ${core} ${kernels}`).toBeDefined();
          const sum = Object.values(r!.byKind).reduce((a, b) => a + b, 0);
          expect(sum / r!.cycles).toBeGreaterThan(0.99);
          expect(sum / r!.cycles).toBeLessThan(1.01);
          expect(r!.source).toBe("recorded");
        }
      }
    }
    expect(recordedTflmCycles(modelPath("vww_96_int8"), "cortex-m3", "reference")).toBeUndefined();
  });
});
