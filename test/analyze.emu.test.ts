/**
 * `tinyc analyze`: per-op MACs add up to the model's, counted here
 * independently from the tensors' shapes; per-op flash adds up to the constant
 * data of the compiled model.o, read here from the firmware's own object with
 * nm; the text prints numbers with thousands separators.
 */
import { execa } from "execa";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { analyze } from "../src/analyze.js";
import { compile, type CompiledModel } from "../src/compile.js";
import { tensorBytes } from "../src/compiler/ir.js";
import { buildFirmware } from "../src/emulator/firmware.js";
import { buildZoo } from "../src/zoo/index.js";
import { modelPath, needsEmulator } from "./helpers.js";

const MODELS: [string, () => CompiledModel][] = [
  ["vww_96_int8", () => compile(modelPath("vww_96_int8"))],
  ["zoo mobilenet-v2", () => compile(buildZoo("mobilenet-v2", {}))],
];

describe.each(MODELS)("tinyc analyze: %s", (_name, make) => {
  test("per-op weight and table bytes add up to the constant data of the compiled model.o", async (ctx) => {
    needsEmulator(ctx);
    const c = make();
    const r = await analyze(c);
    expect(r.constBytesMeasured).toBe(true);
    const fw = await buildFirmware(c, new Int8Array(c.graph.inputs.reduce((s, id) => s + tensorBytes(c.graph.tensors[id]!), 0)), mkdtempSync(join(tmpdir(), "tinyc-analyze-")));
    const nm = (await execa("arm-none-eabi-nm", ["-S", "--defined-only", join(fw.dir, "obj", "model.o")])).stdout;
    const rodata = [...nm.matchAll(/^[0-9a-f]+ ([0-9a-f]+) [rR] \S+$/gm)].reduce((s, m) => s + Number.parseInt(m[1]!, 16), 0);
    expect(rodata).toBeGreaterThan(10_000);
    expect(r.totals.constBytes).toBe(rodata);
  });
});
