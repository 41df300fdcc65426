/**
 * A second opinion from TensorFlow Lite's own runtime (@tensorflow/tfjs-tflite,
 * WebAssembly, int8 through XNNPACK): models tinyc writes load and behave.
 * Single-op models must agree with tinyc's reference within 1 LSB; every
 * refusal and every larger difference is listed (with TFLite's error) in a
 * reviewed snapshot, so a new one fails the test. Whole zoo networks must give
 * the same top class; their largest difference is recorded too. The bit-exact
 * oracles remain the golden bytes and TFLM's reference kernels
 * (tflm-oracle.test.ts), which agree with tinyc on the cases TFLite differs on.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { TensorData } from "../src/compiler/ir.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { xorshiftInput } from "../src/inputs.js";
import { buildZoo, FAMILIES } from "../src/zoo/index.js";
import { CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases } from "./host-kernels.js";
import { ROOT } from "./helpers.js";
import { runInTflite } from "./tflite-runtime.js";

const PER_OP = 30;
const SNAPSHOTS = join(ROOT, "test", "snapshots", "tflite-runtime");

/** Largest difference in LSB of the int8 quantity (a float output is compared in units of its dequantized step). */
function maxDiff(a: TensorData, b: TensorData, step = 1): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.round(Math.abs(a[i]! - b[i]!) / step));
  return d;
}

describe("TensorFlow Lite runtime", () => {
  const gens = { ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS };
  test.each(Object.keys(gens))("%s single-op models agree within 1 LSB, or are listed", async (op) => {
    const report = { ran: 0, maxDiffWithin1Lsb: 0, refused: {} as Record<string, string[]>, differs: {} as Record<string, number | string> };
    for (const k of generateCases(99, PER_OP, gens[op]!)) {
      const r = await runInTflite(writeTflite(k.graph), k.input);
      if (!r.ok) {
        (report.refused[r.error] ??= []).push(k.graph.name);
        continue;
      }
      report.ran++;
      const node = k.graph.nodes[0]!;
      const step = node.kind === "DEQUANTIZE" ? k.graph.tensors[node.inputs[0]!]!.quant!.scale[0]! : 1;
      const ours = runReference(prepare(k.graph), [k.input]).outputs;
      if (ours.length !== r.outputs.length || ours.some((o, j) => o.length !== r.outputs[j]!.length)) {
        report.differs[k.graph.name] = `${r.outputs.map((o) => o.length).join("+")} values, tinyc ${ours.map((o) => o.length).join("+")}`;
        continue;
      }
      const d = Math.max(...ours.map((o, j) => maxDiff(o, r.outputs[j]!, step)));
      if (d > 1) report.differs[k.graph.name] = d;
      else report.maxDiffWithin1Lsb = Math.max(report.maxDiffWithin1Lsb, d);
    }
    expect(report.ran, "TFLite runs most cases").toBeGreaterThan(PER_OP / 2);
    await expect(JSON.stringify(report, null, 2) + "\n").toMatchFileSnapshot(join(SNAPSHOTS, `${op}.json`));
  });

  test.each(FAMILIES.map((f) => f.name))("zoo %s: same top class", async (name) => {
    const g = buildZoo(name);
    const input = xorshiftInput(1, 96 * 96 * 3);
    const r = await runInTflite(writeTflite(g), input);
    expect(r.ok, r.ok ? "" : r.error).toBe(true);
    if (!r.ok) return;
    const ours = runReference(prepare(g), [input]).outputs[0]!;
    const top = (v: TensorData) => v.indexOf(Math.max(...v));
    expect(top(r.output)).toBe(top(ours));
    await expect(JSON.stringify({ tinyc: [...ours], tflite: [...r.output], maxDiff: maxDiff(ours, r.output) }) + "\n").toMatchFileSnapshot(join(SNAPSHOTS, `zoo-${name}.json`));
  });
});
