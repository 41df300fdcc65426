/**
 * Random-parameter tests: for every op, 200 single-op models with random shapes
 * and quantization (zero points -128 and 127 included, channel counts that are
 * not multiples of 4, requantization shifts of both signs, stride 2, SAME
 * padding on odd sizes), run through the portable C kernel on the host and
 * compared with the TypeScript reference, bit for bit.
 */
import { describe, expect, test } from "vitest";
import type { Activation, Graph, Padding } from "../src/compiler/ir.js";
import { computePadding } from "../src/compiler/ops/common.js";
import { GraphBuilder, inputFor, Random, runOnHost, type HostCase } from "./host-kernels.js";

const CASES = 200;
const ACTIVATIONS: Activation[] = ["NONE", "RELU", "RELU6", "RELU_N1_TO_1"];

/** Output scale such that the requantization multiplier spans 2^-14 .. 2^3 (shifts of both signs). */
function outScaleFor(r: Random, accScale: number): number {
  return Math.fround(accScale * 2 ** (r.next() * 17 - 3));
}

function convLike(r: Random, depthwise: boolean, index: number): Graph | undefined {
  const b = new GraphBuilder();
  const n = r.pick([1, 1, 1, 2]);
  const h = r.int(1, 11), w = r.int(1, 11);
  const inC = r.int(1, 7);
  const m = depthwise ? r.int(1, 3) : 1;
  const outC = depthwise ? inC * m : r.int(1, 9);
  const kH = r.pick([1, 2, 3, 5]), kW = r.pick([1, 2, 3]);
  const stride = r.pick([1, 2, 2]), strideW = r.pick([stride, 1, 2]);
  const dil = r.pick([1, 1, 1, 2]);
  const padding: Padding = r.pick(["SAME", "VALID"]);
  const p = computePadding(padding, h, w, kH, kW, stride, strideW, dil, dil);
  if (p.outH < 1 || p.outW < 1) return undefined;
  const inScale = r.scale(0.002, 0.5), inZp = r.zeroPoint();
  const wScales = Array.from({ length: r.pick([1, outC]) === 1 && !depthwise && r.next() < 0.3 ? 1 : outC }, () => r.scale(0.001, 0.05));
  const outZp = r.zeroPoint();
  const outScale = outScaleFor(r, inScale * Math.max(...wScales));
  const input = b.activation("input", [n, h, w, inC], inScale, inZp);
  const filterShape = depthwise ? [1, kH, kW, outC] : [outC, kH, kW, inC];
  const filter = b.int8Const("filter", filterShape, r.int8s(filterShape.reduce((a, x) => a * x, 1)), wScales, depthwise ? 3 : 0);
  const bias = r.next() < 0.9 ? b.int32Const("bias", r.int32s(outC, 1 << 14), inScale * wScales[0]!) : -1;
  const output = b.activation("output", [n, p.outH, p.outW, outC], outScale, outZp);
  const options = { padding, strideH: stride, strideW, dilationH: dil, dilationW: dil, activation: r.pick(ACTIVATIONS) };
  return depthwise
    ? b.graph(`dw${index}`, { kind: "DEPTHWISE_CONV_2D", inputs: [input, filter, bias], outputs: [output], options: { ...options, depthMultiplier: m } }, input, output)
    : b.graph(`conv${index}`, { kind: "CONV_2D", inputs: [input, filter, bias], outputs: [output], options }, input, output);
}

function avgPool(r: Random, index: number): Graph | undefined {
  const b = new GraphBuilder();
  const n = r.pick([1, 2]), h = r.int(1, 12), w = r.int(1, 12), c = r.int(1, 9);
  const kH = r.int(1, 4), kW = r.int(1, 4), sH = r.pick([1, 2, 3]), sW = r.pick([1, 2]);
  const padding: Padding = r.pick(["SAME", "VALID"]);
  const p = computePadding(padding, h, w, kH, kW, sH, sW);
  if (p.outH < 1 || p.outW < 1) return undefined;
  const scale = r.scale(0.005, 0.2), zp = r.zeroPoint();
  const input = b.activation("input", [n, h, w, c], scale, zp);
  const output = b.activation("output", [n, p.outH, p.outW, c], scale, zp);
  return b.graph(`pool${index}`, { kind: "AVERAGE_POOL_2D", inputs: [input], outputs: [output], options: { padding, strideH: sH, strideW: sW, filterH: kH, filterW: kW, activation: r.pick(ACTIVATIONS) } }, input, output);
}

function fullyConnected(r: Random, index: number): Graph {
  const b = new GraphBuilder();
  const batches = r.int(1, 3), depth = r.int(1, 40), out = r.int(1, 11);
  const inScale = r.scale(0.002, 0.5);
  const wScales = Array.from({ length: r.next() < 0.5 ? 1 : out }, () => r.scale(0.001, 0.05));
  const input = b.activation("input", [batches, depth], inScale, r.zeroPoint());
  const filter = b.int8Const("filter", [out, depth], r.int8s(out * depth), wScales, 0);
  const bias = r.next() < 0.9 ? b.int32Const("bias", r.int32s(out, 1 << 14), inScale * wScales[0]!) : -1;
  const output = b.activation("output", [batches, out], outScaleFor(r, inScale * Math.max(...wScales)), r.zeroPoint());
  return b.graph(`fc${index}`, { kind: "FULLY_CONNECTED", inputs: [input, filter, bias], outputs: [output], options: { activation: r.pick(ACTIVATIONS), keepNumDims: false } }, input, output);
}

function softmax(r: Random, index: number): Graph {
  const b = new GraphBuilder();
  const shape = r.pick([[r.int(1, 4), r.int(1, 24)], [1, r.int(1, 3), r.int(1, 3), r.int(1, 12)]]);
  const input = b.activation("input", shape, r.scale(0.01, 1), r.zeroPoint());
  const output = b.activation("output", shape, 1 / 256, -128);
  return b.graph(`softmax${index}`, { kind: "SOFTMAX", inputs: [input], outputs: [output], options: { beta: Math.fround(r.pick([1, 1, 0.5, 2, r.scale(0.2, 3)])) } }, input, output);
}

const GENERATORS: Record<string, (r: Random, i: number) => Graph | undefined> = {
  CONV_2D: (r, i) => convLike(r, false, i),
  DEPTHWISE_CONV_2D: (r, i) => convLike(r, true, i),
  AVERAGE_POOL_2D: avgPool,
  FULLY_CONNECTED: fullyConnected,
  SOFTMAX: softmax,
};

describe.each(Object.keys(GENERATORS))("%s: portable C on the host equals the reference", (op) => {
  test(`${CASES} random cases`, async () => {
    const r = new Random(0x5eed + op.length * 7919);
    const cases: HostCase[] = [];
    while (cases.length < CASES) {
      const g = GENERATORS[op]!(r, cases.length);
      if (g) cases.push({ graph: g, input: inputFor(r, g) });
    }
    const results = await runOnHost(cases);
    const bad = results.filter((x) => Buffer.compare(Buffer.from(x.c), Buffer.from(x.reference)) !== 0);
    expect(bad.map((x) => x.graph.name), "cases where C and the reference differ").toEqual([]);
    // The cases cover what they claim to.
    const zps = new Set(cases.flatMap((k) => k.graph.tensors.flatMap((t) => (t.data ? [] : t.quant?.zeroPoint ?? []))));
    expect(zps.has(-128) && zps.has(127)).toBe(true);
  });
});
