/**
 * Concatenation inputs written by their producers straight into their slice
 * of the output: along the channels (producers write pixels at the output's
 * pixel stride) and along an outer axis (whole blocks). The concatenation runs
 * nothing, the arena shrinks, and the code is bit-exact on the host and, layer
 * by layer, in QEMU. Inputs read elsewhere keep the copy.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Graph, Node } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { runCompiled } from "../src/run.js";
import { GraphBuilder, inputFor, mismatches, Random } from "./host-kernels.js";
import { needsEmulator } from "./helpers.js";

const Q = { scale: 0.05, zp: 3 };
type Op = Omit<Node, "index">;

function build(name: string, make: (b: GraphBuilder, r: Random, x: number) => { ops: Op[]; out: number }, seed: number): Graph {
  const b = new GraphBuilder(), r = new Random(seed);
  const x = b.activation("x", [1, 6, 6, 3], Q.scale, Q.zp);
  const { ops, out } = make(b, r, x);
  return legalize({ name, source: `${name} (generated)`, sha256: "0".repeat(64), tensors: b.tensors, nodes: ops.map((n, index) => ({ ...n, index }) as Node), inputs: [x], outputs: [out] });
}

function conv(b: GraphBuilder, r: Random, name: string, input: number, inC: number, outShape: number[], kH = 1, kW = 1): [number, Op] {
  const outC = outShape[3]!;
  const f = b.int8Const(`${name}_w`, [outC, kH, kW, inC], r.int8s(outC * kH * kW * inC), Array(outC).fill(0.01), 0);
  const out = b.activation(name, outShape, Q.scale, Q.zp);
  return [out, { kind: "CONV_2D", inputs: [input, f], outputs: [out], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } } as Op];
}

/** x → conv 1x1 (5 ch), depthwise 3x3 (3 ch), max pool 3x3 (3 ch) → concatenation of the channels (11) → conv 1x1 (4). */
const channels = (seed: number, extraReader = false) => build(`concat_channels_${seed}${extraReader ? "_shared" : ""}`, (b, r, x) => {
  const [c1, op1] = conv(b, r, "c1", x, 3, [1, 6, 6, 5]);
  const dwf = b.int8Const("dw_w", [1, 3, 3, 3], r.int8s(27), [0.02, 0.02, 0.02], 3);
  const d = b.activation("d", [1, 6, 6, 3], Q.scale, Q.zp);
  const dw = { kind: "DEPTHWISE_CONV_2D", inputs: [x, dwf], outputs: [d], options: { padding: "SAME", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "RELU", depthMultiplier: 1 } } as Op;
  const m = b.activation("m", [1, 6, 6, 3], Q.scale, Q.zp);
  const pool = { kind: "MAX_POOL_2D", inputs: [x], outputs: [m], options: { padding: "SAME", strideH: 1, strideW: 1, filterH: 3, filterW: 3, activation: "NONE" } } as Op;
  const cat = b.activation("cat", [1, 6, 6, 11], Q.scale, Q.zp);
  const concat = { kind: "CONCATENATION", inputs: [c1, d, m], outputs: [cat], options: { axis: 3, activation: "NONE" } } as Op;
  const [y, head] = conv(b, r, "y", cat, 11, [1, 6, 6, 4]);
  if (!extraReader) return { ops: [op1, dw, pool, concat, head], out: y };
  // The depthwise output is also read by an ADD: that input cannot be a slice, so the concatenation copies.
  const s = b.activation("s", [1, 6, 6, 4], Q.scale, Q.zp);
  const [e, extra] = conv(b, r, "e", d, 3, [1, 6, 6, 4]);
  const add = { kind: "ADD", inputs: [y, e], outputs: [s], options: { activation: "NONE" } } as Op;
  return { ops: [op1, dw, pool, concat, head, extra, add], out: s };
}, seed);

/** x → conv 5x1 VALID (2 rows), conv 3x1 VALID (4 rows) → concatenation along the height (6 rows) → conv 1x1. */
const rows = (seed: number) => build(`concat_rows_${seed}`, (b, r, x) => {
  const [a, opA] = conv(b, r, "a", x, 3, [1, 2, 6, 3], 5, 1);
  const [c, opC] = conv(b, r, "c", x, 3, [1, 4, 6, 3], 3, 1);
  const cat = b.activation("cat", [1, 6, 6, 3], Q.scale, Q.zp);
  const concat = { kind: "CONCATENATION", inputs: [a, c], outputs: [cat], options: { axis: 1, activation: "NONE" } } as Op;
  const [y, head] = conv(b, r, "y", cat, 3, [1, 6, 6, 2]);
  return { ops: [opA, opC, concat, head], out: y };
}, seed);

describe("concatenation inputs written into their slices", () => {
  test.each([["channels", channels], ["rows", rows]] as const)("along the %s: nothing to run, a smaller arena", (_, make) => {
    const g = make(1);
    // The portable kernels' scratch-free convolutions; with the dsp family's scratch the saving can vanish (see the plan).
    const sliced = compile(g, { backend: "portable" }), copied = compile(g, { backend: "portable", disable: ["concat-slices"] });
    const concat = g.nodes.find((n) => n.kind === "CONCATENATION")!.index;
    expect([...sliced.plan.elided]).toEqual([concat]);
    expect(copied.plan.elided.size).toBe(0);
    expect(sliced.plan.arenaBytes).toBeLessThan(copied.plan.arenaBytes);
    expect(sliced.generated.source).toContain("nothing to run: its inputs were written into their slices of the output");
    expect(sliced.generated.kernelFiles).not.toContain("tinyc_data.c"); // no block copies
  });

  test("an input read elsewhere too keeps the copy", () => {
    const c = compile(channels(1, true));
    expect(c.plan.elided.size).toBe(0);
  });

  test("bit-exact with the reference on the host", async () => {
    const r = new Random(3);
    const cases = [1, 2, 3].flatMap((seed) => [channels(seed), rows(seed), channels(seed, true)]).map((g) => ({ graph: g, input: inputFor(r, g) }));
    expect(cases.filter((k) => compile(k.graph).plan.elided.size > 0)).toHaveLength(6);
    expect(await mismatches(cases)).toEqual([]);
  });

  test("bit-exact in QEMU, every layer (producers hashed through their stride)", async (ctx) => {
    needsEmulator(ctx);
    for (const g of [channels(4), rows(4)]) {
      const run = await runCompiled(compile(g));
      expect(run.matches, g.name).toBe(true);
      expect(run.layers.every((l) => l.matches), g.name).toBe(true);
    }
  });
});
