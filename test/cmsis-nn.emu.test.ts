/**
 * The cmsis-nn backend in QEMU: with CMSIS-NN trees in CMSIS_NN_ROOT /
 * CMSIS_NN_ROOTS, every golden case runs bit-exact on Cortex-M4 and M55, the
 * MVE kernels that overlap hold their declared margins, and the zoo's defaults
 * run bit-exact. Without a tree these tests skip and say why.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { buildZoo, FAMILIES } from "../src/zoo/index.js";
import { MEMORY_OPTIONS } from "../src/memory_options.js";
import { dataBytes } from "../src/compiler/ir.js";
import { convLike } from "./generators.js";
import { generateCases, marginFor, relocate } from "./host-kernels.js";
import { cmsisRoots, goldenBytes, goldenCases, MODEL_NAMES, modelPath, needsEmulator, NO_CMSIS_NN_TREE as NO_TREE, NO_CMSIS_NN_TREE_FOUND as NONE } from "./helpers.js";

const roots = cmsisRoots();

describe.each(roots.length ? roots : [NONE])("CMSIS-NN at %s", (root) => {
  describe.each(MODEL_NAMES)("%s", (m) => {
    test.for(["cortex-m4", "cortex-m55"])("every golden case is bit-exact on %s", async (target, ctx) => {
      if (root === NONE) ctx.skip(NO_TREE);
      needsEmulator(ctx);
      const c = compile(modelPath(m), { target, backend: "cmsis-nn", cmsisNn: root });
      expect(c.plan.arenaBytes).toBeGreaterThanOrEqual(c.plan.boundBytes);
      for (const k of goldenCases(m)) {
        const r = await runCompiled(c, { input: goldenBytes(m, "input", k) });
        expect([...r.output], k).toEqual([...goldenBytes(m, "output", k)]);
        expect(r.matches).toBe(true);
        expect(r.firstMismatchOp).toBeUndefined();
      }
    });
  });
});

describe.each(roots.length ? roots : [NONE])("CMSIS-NN's MVE kernels that overlap, at %s", (root) => {
  // Random 1x1 convolutions and depthwise convolutions (pixel and channel counts not multiples of 4, strides,
  // padding), output placed exactly at the declared margin from the input, unaligned; then 4 bytes past it,
  // where some case must break.
  const oneByOne = generateCases(0x1a1, 6, (r, i) => {
    const g = convLike(r, false, i);
    const n = g?.nodes[0];
    const f = n && g.tensors[n.inputs[1]!]!;
    const o = n?.options as { strideH: number; strideW: number; dilationH: number } | undefined;
    return f && o && f.shape[1] === 1 && f.shape[2] === 1 && o.strideH === 1 && o.strideW === 1 && o.dilationH === 1 ? g : undefined;
  });
  const depthwise = generateCases(0xd1, 6, (r, i) => {
    const g = convLike(r, true, i);
    const n = g?.nodes[0];
    const o = n?.options as { depthMultiplier: number; dilationH: number } | undefined;
    return n && o && o.depthMultiplier === 1 && o.dilationH === 1 && g.tensors[n.inputs[0]!]!.shape[0] === 1 ? g : undefined;
  });
  const cases = [...oneByOne, ...depthwise];
  test.for([0, 4])("output %i bytes past the declared margin: at 0 bit-exact, at 4 some case breaks", async (nudge, ctx) => {
    if (root === NONE) ctx.skip(NO_TREE);
    needsEmulator(ctx);
    const broken = new Set<string>();
    for (const k of cases) {
      const c = compile(k.graph, { target: "cortex-m55", backend: "cmsis-nn", cmsisNn: root, disable: MEMORY_OPTIONS });
      expect(marginFor(c, "forward"), k.graph.name).toBeDefined();
      const moved = { ...c, generated: { ...c.generated, ...relocate(c, "forward", nudge) } };
      const r = await runCompiled(moved, { input: dataBytes(k.input) });
      if (nudge === 0) expect(r.matches, k.graph.name).toBe(true);
      if (!r.matches) broken.add(k.graph.nodes[0]!.kind);
    }
    if (nudge > 0) expect([...broken].sort()).toEqual(["CONV_2D", "DEPTHWISE_CONV_2D"]);
  });
});

describe.each(roots.length ? roots : [NONE])("zoo defaults with CMSIS-NN at %s", (root) => {
  test.for(["cortex-m4", "cortex-m55"])("every family is bit-exact on %s", async (target, ctx) => {
    if (root === NONE) ctx.skip(NO_TREE);
    needsEmulator(ctx);
    for (const f of FAMILIES) {
      const r = await runCompiled(compile(buildZoo(f.name), { target, backend: "cmsis-nn", cmsisNn: root }));
      expect(r.matches, f.name).toBe(true);
      expect(r.firstMismatchOp, f.name).toBeUndefined();
    }
  });
});