/**
 * Public real models (test/real-models.json: where each comes from and its
 * sha256; the files stay outside the project, under TINYC_REAL_MODELS). Each
 * one compiles; runs bit-exact with the reference in QEMU on Cortex-M4, or on
 * --target host when it fits no emulated part, every layer compared; equals
 * TensorFlow Lite Micro's interpreter on the same input when TFLM_RUN names a
 * runner (scripts/build-tflm-runner.sh); and is run by TensorFlow Lite's
 * runtime (tfjs-tflite) as a second opinion. The plan and both opinions are
 * recorded in test/snapshots/real-models (TFLM's agreement is asserted, not
 * recorded, as it needs the runner), so any change shows in review.
 * Without TINYC_REAL_MODELS the tests skip and say why. (The manifest itself:
 * real-models.test.ts.)
 */
import { execa } from "execa";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import { dataBytes, fromBytes, type TensorData } from "../src/compiler/ir.js";
import { tensorOf } from "../src/compiler/ops/common.js";
import { TinycError } from "../src/diagnostics.js";
import { modelInputs, runCompiled, type RunReport } from "../src/run.js";
import { needsEmulator, REAL_MODEL_MANIFEST as MANIFEST, ROOT } from "./helpers.js";
import { runInTflite } from "./tflite-runtime.js";

const DIR = process.env.TINYC_REAL_MODELS;
const RUNNER = process.env.TFLM_RUN;
const WHY = "set TINYC_REAL_MODELS to a folder holding the models of test/real-models.json (see the README's testing section)";
const SNAPSHOTS = join(ROOT, "test", "snapshots", "real-models");

/** Ops by kind with counts, in first-use order. */
function opCounts(c: CompiledModel): string {
  const counts = new Map<string, number>();
  for (const n of c.graph.nodes) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k}×${n}`).join(" ");
}

/** Largest difference in steps of the output's scale (1 for 8-bit outputs), and whether the top class agrees. */
function compare(ours: TensorData, theirs: TensorData): { maxDiff: number; sameTop: boolean } {
  let d = 0;
  const span = Math.max(...ours) - Math.min(...ours) || 1;
  const step = ours instanceof Float32Array ? span / 255 : 1;
  for (let i = 0; i < ours.length; i++) d = Math.max(d, Math.round(Math.abs(ours[i]! - theirs[i]!) / step));
  const top = (v: TensorData) => v.indexOf(Math.max(...v));
  return { maxDiff: d, sameTop: top(ours) === top(theirs) };
}

async function runSomewhere(model: string): Promise<{ c: CompiledModel; rep: RunReport; where: string }> {
  const c = compile(model, { target: "cortex-m4" });
  try {
    return { c, rep: await runCompiled(c, { timeoutMs: 600_000 }), where: "QEMU cortex-m4" };
  } catch (e) {
    if (!(e instanceof TinycError) || e.code !== "TC141") throw e;
    const host = compile(model, { target: "host" });
    return { c: host, rep: await runCompiled(host, { timeoutMs: 600_000 }), where: "host (fits no emulated part)" };
  }
}

describe("public real models", () => {
  test.for(MANIFEST.models)("$name", { timeout: 900_000 }, async (m, ctx) => {
    if (!DIR) ctx.skip(WHY);
    needsEmulator(ctx);
    const path = join(DIR!, m.file);
    expect(existsSync(path), `${path} (from ${m.repository} ${m.path} at ${m.commit})`).toBe(true);
    const bytes = readFileSync(path);
    expect(createHash("sha256").update(bytes).digest("hex"), `${m.file} is not the recorded file`).toBe(m.sha256);

    const { c, rep, where } = await runSomewhere(path);
    expect(rep.matches, `${m.name}: outputs in ${where} differ from the reference`).toBe(true);
    expect(rep.layers.filter((l) => !l.matches).map((l) => `op ${l.op} ${l.kind}`), `${m.name}: layers that differ`).toEqual([]);

    // The same inputs through TensorFlow Lite Micro's interpreter, and through TensorFlow Lite's runtime.
    const inputs = modelInputs(c, undefined);
    const data = inputs.map((b, k) => fromBytes(b, tensorOf(c.graph, c.graph.inputs[k]!).dtype));
    const ours = rep.references;
    if (RUNNER) {
      const dir = mkdtempSync(join(tmpdir(), "tinyc-real-"));
      writeFileSync(join(dir, "in.bin"), Buffer.concat(inputs));
      const r = await execa(RUNNER, [path, join(dir, "in.bin"), join(dir, "out.bin")], { reject: false, all: true });
      if (m.tflmRefuses) {
        expect(r.exitCode, `TFLM was expected to refuse ${m.name}`).not.toBe(0);
        expect(r.all).toContain(m.tflmRefuses);
      } else {
        expect(r.exitCode, `TFLM failed on ${m.name}: ${r.all}`).toBe(0);
        expect(readFileSync(join(dir, "out.bin")).equals(Buffer.concat(ours.map((o) => dataBytes(o)))), `${m.name}: TFLM's outputs differ from tinyc's`).toBe(true);
      }
    }
    const lite = await runInTflite(new Uint8Array(bytes), data);
    // Its WebAssembly build (an older TensorFlow Lite with XNNPACK) returns only zeros, or garbage, for some models: listed as such.
    const second = !lite.ok ? `refused: ${lite.error}`
      : lite.outputs.every((o) => o.every((v) => v === 0)) && ours.some((o) => o.some((v) => v !== 0)) ? "returned only zeros (does not run this model)"
      : lite.outputs.some((o) => o.some((v) => !(Math.abs(v) < 1e30))) ? "returned non-finite or |v| > 1e30 values (does not run this model)"
      : ours.map((o, k) => { const x = compare(o, lite.outputs[k]!); return `output ${k}: ${x.sameTop ? "same" : "different"} top index, max difference ${x.maxDiff} steps`; }).join("; ");

    const p = c.plan;
    const record = [
      `model        ${m.file} (${m.repository}${m.readFrom ? ` via ${m.readFrom}` : ""}, ${m.path} at ${m.commit.slice(0, 12)}; ${m.licence})`,
      `sha256       ${m.sha256}`,
      `ops          ${opCounts(c)}`,
      `passes       ${c.passes.length === 0 ? "none" : [...new Set(c.passes.map((n) => n.pass))].map((pass) => `${pass} ×${c.passes.filter((n) => n.pass === pass).length}`).join(", ")}`,
      `interface    ${c.graph.inputs.length} input(s) ${c.graph.inputs.map((id) => `${tensorOf(c.graph, id).dtype}[${tensorOf(c.graph, id).shape.join("x")}]`).join(" ")}, ${c.graph.outputs.length} output(s) ${c.graph.outputs.map((id) => `${tensorOf(c.graph, id).dtype}[${tensorOf(c.graph, id).shape.join("x")}]`).join(" ")}`,
      `arena        ${p.arenaBytes} bytes (layer-wise bound ${p.lowerBoundBytes}${p.overlapBoundBytes !== undefined ? `, overlap bound ${p.overlapBoundBytes}` : ""})`,
      `ran          ${where}: bit-exact with the reference, every layer`,
      `tfjs-tflite  ${second}`,
      ...(m.tflmRefuses ? [`TFLM         refuses it: ${m.tflmRefuses}`] : []),
    ].join("\n");
    await expect(record + "\n").toMatchFileSnapshot(join(SNAPSHOTS, `${m.name}.txt`));
  });
});
