/**
 * PAD folding: a PAD in front of a convolution becomes its explicit padding.
 * Where it fires the bytes equal the unfolded model's reference (and the same
 * network written with SAME padding, through the .tflite writer) and the
 * padded tensor is gone from the plan; where it must not (a PAD read twice, a
 * pool behind it, padding on the channel axis, a kernel family that cannot
 * take the amounts) the PAD stays. In QEMU: fold-pad.emu.test.ts.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Padding } from "../src/compiler/ir.js";
import { computePadding } from "../src/compiler/ops/common.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { dataBytes } from "../src/compiler/ir.js";
import { planMemory } from "../src/memplan/plan.js";
import { planReport } from "../src/reports/report.js";
import { padConvOptions as conv, finishGraph as finish, padNetwork as network, padNode, roundTrip, type NodeSpec, type Pads } from "./generators.js";
import { GraphBuilder, inputFor, Random, runOnHost, type HostCase } from "./host-kernels.js";
import { lowerEach } from "./helpers.js";

describe("PAD folding", () => {
  test("PAD (0,1)/(0,1) before a stride-2 VALID depthwise and PAD (1,1) before a VALID conv fold: same arena and bytes as SAME", async () => {
    const padded = roundTrip(network(true)), same = roundTrip(network(false));
    const a = compile(padded), b = compile(same);
    expect(a.passes.map((n) => [n.pass, n.op, n.kind])).toEqual([["fold-pad", 0, "PAD"], ["fold-pad", 3, "PAD"]]);
    expect(a.passes[0]!.message).toMatch(/folded into op 1 DEPTHWISE_CONV_2D's padding \(top 0, bottom 1, left 0, right 1\)/);
    expect(a.graph.nodes.map((n) => n.kind)).toEqual(["DEPTHWISE_CONV_2D", "CONV_2D", "CONV_2D"]);
    expect(a.plan.arenaBytes).toBe(b.plan.arenaBytes);
    expect(a.plan.boundBytes).toBe(b.plan.boundBytes);
    // Without folding the padded copies set the peak.
    const unfolded = prepare(padded);
    const r = new Random(3);
    const inputs = Array.from({ length: 4 }, () => inputFor(r, padded));
    // One translation unit: each case needs its own model name.
    const cases: HostCase[] = inputs.flatMap((input, i) => [{ graph: { ...padded, name: `padded${i}` }, input }, { graph: { ...same, name: `same${i}` }, input }]);
    const results = await runOnHost(cases);
    inputs.forEach((input, i) => {
      const want = dataBytes(runReference(unfolded, [input]).outputs[0]!);
      expect(Buffer.from(results[2 * i]!.c)).toEqual(Buffer.from(want));
      expect(Buffer.from(results[2 * i + 1]!.c)).toEqual(Buffer.from(want));
    });
    // The report lists what was folded, where.
    expect(planReport(a).passes.map((n) => n.op)).toEqual([0, 3]);
  });

  test("unfolded, the padded tensors would raise the arena; CMSIS-NN takes these amounts too (they are what SAME gives)", () => {
    const g = roundTrip(network(true));
    const folded = compile(g);
    const unfolded = planMemory(lowerEach(g));
    expect(unfolded.arenaBytes).toBeGreaterThan(folded.plan.arenaBytes);
    expect(folded.graph.nodes.some((n) => n.kind === "PAD")).toBe(false);
    expect(compile(g, { backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" }).passes.length).toBe(2);
  });

  test("random PAD + convolution pairs fold and stay bit-exact with the unfolded reference (host C)", async () => {
    const r = new Random(11);
    const cases: HostCase[] = [];
    const wants: Uint8Array[] = [];
    while (cases.length < 120) {
      const b = new GraphBuilder();
      const depthwise = r.next() < 0.5;
      const n = r.pick([1, 2]), h = r.int(1, 9), w = r.int(1, 9), c = r.int(1, 6);
      const p: Pads = [r.int(0, 3), r.int(0, 3), r.int(0, 3), r.int(0, 3)];
      const kH = r.pick([1, 2, 3, 5]), kW = r.pick([1, 2, 3]), sH = r.pick([1, 2, 3]), sW = r.pick([1, 2]), dil = r.pick([1, 1, 2]);
      const padding: Padding = r.pick(["SAME", "VALID"]);
      const ph = h + p[0] + p[1], pw = w + p[2] + p[3];
      const geo = computePadding(padding, ph, pw, kH, kW, sH, sW, dil, dil);
      if (geo.outH < 1 || geo.outW < 1) continue;
      const s = r.scale(0.01, 0.2), zp = r.zeroPoint();
      const m = depthwise ? r.int(1, 2) : 1, outC = depthwise ? c * m : r.int(1, 7);
      const x = b.activation("x", [n, h, w, c], s, zp);
      const padded = b.activation("padded", [n, ph, pw, c], s, zp);
      const wShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, c];
      const wt = b.int8Const("w", wShape, r.int8s(wShape.reduce((a, v) => a * v, 1)), Array(outC).fill(r.scale(0.005, 0.05)), depthwise ? 3 : 0);
      const y = b.activation("y", [n, geo.outH, geo.outW, outC], r.scale(0.02, 0.5), r.zeroPoint());
      const options = { padding, strideH: sH, strideW: sW, dilationH: dil, dilationW: dil, activation: r.pick(["NONE", "RELU", "RELU6"]) };
      const convSpec = (depthwise
        ? { kind: "DEPTHWISE_CONV_2D", inputs: [padded, wt], outputs: [y], options: { ...options, depthMultiplier: m } }
        : { kind: "CONV_2D", inputs: [padded, wt], outputs: [y], options }) as NodeSpec;
      const g = finish(b, `padconv${cases.length}`, [padNode(b, x, padded, p), convSpec], x, [y]);
      expect(compile(g).passes.length, g.name).toBe(1);
      const input = inputFor(r, g);
      cases.push({ graph: g, input });
      wants.push(dataBytes(runReference(prepare(g), [input]).outputs[0]!));
    }
    const results = await runOnHost(cases);
    const wrong = results.filter((x, i) => Buffer.compare(Buffer.from(x.c), Buffer.from(wants[i]!)) !== 0 || Buffer.compare(Buffer.from(x.reference), Buffer.from(wants[i]!)) !== 0);
    expect(wrong.map((x) => x.graph.name)).toEqual([]);
  });

  describe("where it must not fold", () => {
    const base = (b: GraphBuilder, shape: number[]) => b.activation("x", shape, 0.05, 2);
    const convOf = (b: GraphBuilder, input: number, inShape: number[], name: string, padding: Padding = "VALID"): [number, NodeSpec] => {
      const c = inShape[3]!;
      const out = computePadding(padding, inShape[1]!, inShape[2]!, 3, 3, 1, 1);
      const y = b.activation(name, [1, out.outH, out.outW, 4], 0.1, 0);
      const wt = b.int8Const(`${name}_w`, [4, 3, 3, c], new Random(1).int8s(36 * c), Array(4).fill(0.01), 0);
      return [y, { kind: "CONV_2D", inputs: [input, wt], outputs: [y], options: conv(padding, 1) } as NodeSpec];
    };

    test("a PAD read twice", () => {
      const b = new GraphBuilder();
      const x = base(b, [1, 6, 6, 3]);
      const padded = b.activation("padded", [1, 8, 8, 3], 0.05, 2);
      const [y1, c1] = convOf(b, padded, [1, 8, 8, 3], "y1");
      const [y2, c2] = convOf(b, padded, [1, 8, 8, 3], "y2");
      const out = b.activation("sum", [1, 6, 6, 4], 0.2, 0);
      const add = { kind: "ADD", inputs: [y1, y2], outputs: [out], options: { activation: "NONE" } } as NodeSpec;
      const c = compile(finish(b, "twice", [padNode(b, x, padded, [1, 1, 1, 1]), c1, c2, add], x, [out]));
      expect(c.passes).toEqual([]);
      expect(c.graph.nodes[0]!.kind).toBe("PAD");
    });

    test("a PADV2 folds when its value is the zero point, and stays when it is not (the control: one value off)", async () => {
      const build = (value: number) => {
        const b = new GraphBuilder();
        const x = base(b, [1, 6, 6, 3]);
        const padded = b.activation("padded", [1, 8, 8, 3], 0.05, 2);
        const [y, c1] = convOf(b, padded, [1, 8, 8, 3], "y");
        const pads = b.add("paddings", [4, 2], "int32", undefined, new Uint8Array(Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]).buffer));
        const v = b.add("value", [], "int8", { scale: [0.05], zeroPoint: [2], axis: 0 }, new Uint8Array(Int8Array.of(value).buffer));
        const padV2 = { kind: "PADV2", inputs: [x, pads, v], outputs: [padded], options: {} } as NodeSpec;
        return roundTrip(finish(b, `padv2_${value}`, [padV2, c1], x, [y]));
      };
      const atZero = compile(build(2)), off = compile(build(3));
      expect(atZero.passes.map((n) => `${n.pass} ${n.kind}`)).toEqual(["fold-pad PADV2"]);
      expect(atZero.graph.nodes.map((n) => n.kind)).toEqual(["CONV_2D"]);
      expect(off.passes).toEqual([]);
      expect(off.graph.nodes.map((n) => n.kind)).toEqual(["PADV2", "CONV_2D"]);
      // Folded or not, the bytes are the unfolded reference's (host C).
      for (const g of [build(2), build(3)]) {
        const input = new Random(5).int8s(108);
        const [r] = await runOnHost([{ graph: g, input }]);
        expect(Buffer.from(r!.c)).toEqual(Buffer.from(dataBytes(runReference(prepare(g), [input]).outputs[0]!)));
      }
    });

    test("a pool behind the PAD", () => {
      const b = new GraphBuilder();
      const x = base(b, [1, 6, 6, 3]);
      const padded = b.activation("padded", [1, 8, 8, 3], 0.05, 2);
      const y = b.activation("y", [1, 6, 6, 3], 0.05, 2);
      const pool = { kind: "AVERAGE_POOL_2D", inputs: [padded], outputs: [y], options: { padding: "VALID", strideH: 1, strideW: 1, filterH: 3, filterW: 3, activation: "NONE" } } as NodeSpec;
      expect(compile(finish(b, "pool", [padNode(b, x, padded, [1, 1, 1, 1]), pool], x, [y])).passes).toEqual([]);
    });

    test("padding on the channel axis", () => {
      const b = new GraphBuilder();
      const x = base(b, [1, 6, 6, 3]);
      const padded = b.activation("padded", [1, 8, 8, 4], 0.05, 2);
      const [y, c1] = convOf(b, padded, [1, 8, 8, 4], "y");
      expect(compile(finish(b, "channels", [padNode(b, x, padded, [1, 1, 1, 1], [0, 1]), c1], x, [y])).passes).toEqual([]);
    });

    test("a PAD whose output is also a model output", () => {
      const b = new GraphBuilder();
      const x = base(b, [1, 6, 6, 3]);
      const padded = b.activation("padded", [1, 8, 8, 3], 0.05, 2);
      const [, c1] = convOf(b, padded, [1, 8, 8, 3], "y");
      // One output only (tinyc's interface today): the padded tensor itself, with the conv's result unused downstream.
      expect(compile(finish(b, "visible", [padNode(b, x, padded, [1, 1, 1, 1]), c1], x, [padded])).passes).toEqual([]);
    });

    test("under cmsis-nn, amounts SAME and VALID never give stay a PAD; the portable kernels take them", () => {
      const b = new GraphBuilder();
      const x = base(b, [1, 6, 6, 3]);
      const padded = b.activation("padded", [1, 8, 6, 3], 0.05, 2);
      const [y, c1] = convOf(b, padded, [1, 8, 6, 3], "y");
      const g = finish(b, "lopsided", [padNode(b, x, padded, [2, 0, 0, 0]), c1], x, [y]);
      expect(compile(g, { backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" }).passes).toEqual([]);
      expect(compile(g).passes.map((n) => n.message)).toEqual([expect.stringMatching(/top 2, bottom 0, left 0, right 0/)]);
    });
  });
});
