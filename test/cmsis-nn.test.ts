/**
 * The cmsis-nn backend. Emission is snapshot-tested everywhere (no CMSIS-NN tree
 * needed); with CMSIS-NN trees in CMSIS_NN_ROOT / CMSIS_NN_ROOTS, tinyc's
 * host-side scratch sizes are checked against CMSIS-NN's own size functions
 * compiled on the host (in QEMU: cmsis-nn.emu.test.ts). Without a tree those
 * tests skip and say why.
 */
import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { resolveCmsisNn } from "../src/kernels/cmsis_nn/tree.js";
import { loadTarget } from "../src/targets.js";
import { buildZoo } from "../src/zoo/index.js";
import { cmsisRoots, MODEL_NAMES, modelPath, NO_CMSIS_NN_TREE as NO_TREE, NO_CMSIS_NN_TREE_FOUND as NONE, ROOT } from "./helpers.js";

const roots = cmsisRoots();
// Emission below must not depend on the environment; other test files in this worker (isolate: false) get it back.
const savedRoot = process.env.CMSIS_NN_ROOT;
delete process.env.CMSIS_NN_ROOT;
afterAll(() => {
  if (savedRoot !== undefined) process.env.CMSIS_NN_ROOT = savedRoot;
});

/** model.c without the contents of its const arrays (the shared models' weights are not ours to copy). */
function skeleton(source: string): string {
  return source.replace(/= \{\n((?:\s+[-\d, ()]+,\n)+)(\s*)\};/g, (_m, body: string, indent: string) => `= { /* ${body.split(",").length - 1} values */ ${indent}};`);
}

describe("cmsis-nn emission", () => {
  test.each(MODEL_NAMES.flatMap((m) => ["cortex-m4", "cortex-m55"].map((t) => ({ m, t }))))("$m on $t matches its snapshot, the same for both versions", async ({ m, t }) => {
    const v7 = compile(modelPath(m), { target: t, backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" });
    const pinned = compile(modelPath(m), { target: t, backend: "cmsis-nn", cmsisNnVersion: "4ab83cc3" });
    expect(pinned.generated.source).toBe(v7.generated.source);
    await expect(skeleton(v7.generated.source)).toMatchFileSnapshot(join(ROOT, "test", "snapshots", "cmsis-nn", `${m}.${t}.model.c.txt`));
    expect(v7.generated.source).toContain("arm_convolve_wrapper_s8(");
    expect(v7.generated.source).toContain("arm_depthwise_conv_wrapper_s8(");
    expect(v7.generated.source).toContain("arm_softmax_s8(");
  });

  test("on Cortex-M55 the fully connected kernel sums are const data", () => {
    const c = compile(modelPath("vww_96_int8"), { target: "cortex-m55", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" });
    expect(c.generated.source).toMatch(/static const int32_t op29_kernel_sums\[2\]/);
    const m4 = compile(modelPath("vww_96_int8"), { target: "cortex-m4", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" });
    expect(m4.generated.source).not.toMatch(/kernel_sums/);
  });

  test("CMSIS-NN kernels where their semantics are TFLite's, portable ones (reported per op) elsewhere", () => {
    const c = compile(buildZoo("mobilenet-v3-small"), { target: "cortex-m55", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" });
    const src = c.generated.source;
    expect(src).toContain("arm_elementwise_add_s8("); // residual adds: same shapes
    expect(src).toContain("tinyc_mul_s8("); // squeeze-excite scales broadcast
    expect(src).toContain("tinyc_hard_swish_s8(");
    const notes = c.generated.notes.map((n) => `${n.kind}: ${n.message}`);
    expect(notes).toContain("MUL: runs tinyc's portable kernel: CMSIS-NN's element-wise multiply does not broadcast");
    expect(notes.some((n) => n.startsWith("HARD_SWISH: runs tinyc's portable kernel"))).toBe(true);
    expect(notes.some((n) => n.startsWith("ADD"))).toBe(false);
    expect(c.generated.kernelFiles).toEqual(expect.arrayContaining(["tinyc_elementwise.c", "tinyc_activations.c"]));
  });

  test("an unknown CMSIS-NN version or a missing tree is a clear error", () => {
    expect(() => resolveCmsisNn(undefined, "v9.9.9")).toThrow(/TC151.*'v9.9.9' is not supported; supported: v7.0.0, 4ab83cc3/);
    expect(() => resolveCmsisNn(undefined)).toThrow(/TC150.*needs a CMSIS-NN source tree/);
    expect(() => resolveCmsisNn("/nonexistent")).toThrow(/TC150.*not a CMSIS-NN source tree/);
  });
});

describe.each(roots.length ? roots : [NONE])("CMSIS-NN at %s", (root) => {
  test.for(["cortex-m4", "cortex-m55"])("scratch sizes on %s equal CMSIS-NN's own size functions", async (target, ctx) => {
    if (root === NONE) ctx.skip(NO_TREE);
    const t = loadTarget(target);
    const isa = t.mve ? "mve" : "dsp";
    const lines: string[] = [];
    const expected: number[] = [];
    for (const m of MODEL_NAMES) {
      const c = compile(modelPath(m), { target, backend: "cmsis-nn", cmsisNn: root });
      for (const node of c.graph.nodes) {
        const p = c.prepared.params.get(node.index) as { geo?: { batches: number; inH: number; inW: number; inC: number; outH: number; outW: number; outC: number; kH: number; kW: number; strideH: number; strideW: number; padTop: number; padLeft: number; dilH: number; dilW: number }; depthMultiplier?: number; channels?: number; outW?: number };
        const tiny = c.lowered.ops.get(node.index)!.scratchBytes;
        const g = p.geo;
        if (node.kind === "CONV_2D" && g) {
          lines.push(`{ cmsis_nn_conv_params cp = {0, 0, {${g.strideW}, ${g.strideH}}, {${g.padLeft}, ${g.padTop}}, {${g.dilW}, ${g.dilH}}, {-128, 127}}; cmsis_nn_dims i = {${g.batches}, ${g.inH}, ${g.inW}, ${g.inC}}, f = {${g.outC}, ${g.kH}, ${g.kW}, ${g.inC}}, o = {${g.batches}, ${g.outH}, ${g.outW}, ${g.outC}};
            printf("%d\\n", (int)arm_convolve_wrapper_s8_get_buffer_size_${isa}(&cp, &i, &f, &o)); }`);
          // Arm Compiler 6 gives the 1x1 fast path a 4 * in_ch buffer that GCC's build does not use; tinyc reserves it.
          const fast1x1 = !t.mve && g.kH === 1 && g.kW === 1 && g.padTop === 0 && g.padLeft === 0 && g.strideH === 1 && g.strideW === 1;
          expected.push(fast1x1 ? tiny - 4 * g.inC : tiny);
        } else if (node.kind === "DEPTHWISE_CONV_2D" && g) {
          lines.push(`{ cmsis_nn_dw_conv_params cp = {0, 0, ${p.depthMultiplier}, {${g.strideW}, ${g.strideH}}, {${g.padLeft}, ${g.padTop}}, {${g.dilW}, ${g.dilH}}, {-128, 127}}; cmsis_nn_dims i = {${g.batches}, ${g.inH}, ${g.inW}, ${g.inC}}, f = {1, ${g.kH}, ${g.kW}, ${g.outC}}, o = {${g.batches}, ${g.outH}, ${g.outW}, ${g.outC}};
            printf("%d\\n", (int)arm_depthwise_conv_wrapper_s8_get_buffer_size_${isa}(&cp, &i, &f, &o)); }`);
          expected.push(tiny);
        } else if (node.kind === "AVERAGE_POOL_2D") {
          lines.push(`printf("%d\\n", (int)arm_avgpool_s8_get_buffer_size_${isa}(${p.outW}, ${p.channels}));`);
          expected.push(tiny);
        }
      }
    }
    const dir = mkdtempSync(join(tmpdir(), "tinyc-cmsis-sizes-"));
    writeFileSync(join(dir, "sizes.c"), `#include <stdio.h>\n#include "arm_nnfunctions.h"\nint main(void) {\n${lines.join("\n")}\nreturn 0;\n}\n`);
    const src = (f: string) => join(root, "Source", f);
    const build = await execa("gcc", ["-std=c99", "-I", join(root, "Include"), join(dir, "sizes.c"),
      src("ConvolutionFunctions/arm_convolve_get_buffer_sizes_s8.c"), src("ConvolutionFunctions/arm_depthwise_conv_get_buffer_sizes_s8.c"),
      src("PoolingFunctions/arm_avgpool_get_buffer_sizes_s8.c"), "-o", join(dir, "sizes")], { reject: false, all: true });
    expect(build.exitCode, build.all).toBe(0);
    const out = (await execa(join(dir, "sizes"))).stdout.trim().split("\n").map(Number);
    expect(out).toEqual(expected);
  });
});
