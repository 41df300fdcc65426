/**
 * Models with several inputs and outputs (interfaces.test.ts) in QEMU and
 * through `tinyc run`: every output compared and reported.
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { dataBytes } from "../src/compiler/ir.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { runCompiled } from "../src/run.js";
import { formatDiagnostic } from "../src/diagnostics.js";
import { severalInputs, severalOutputs } from "./generators.js";
import { needsEmulator, ROOT } from "./helpers.js";

describe("several inputs and outputs", () => {
  const { g, c, a, b, want } = severalInputs();

  test("bit-exact in QEMU: every output compared and reported", async (ctx) => {
    needsEmulator(ctx);
    const rep = await runCompiled(c, { input: [a, b] });
    expect(rep.matches).toBe(true);
    expect(rep.outputs.map((o) => [...o])).toEqual(want.map((o) => [...o]));
    expect(rep.layers.every((l) => l.matches)).toBe(true);
    // A wrong second output is caught.
    const broken = await runCompiled(c, { input: [a, b], patchSource: (s) => s.replace(/(int8_t \*tinyc_two_by_two_output1\(void\) \{\n\s+return \(tinyc_two_by_two_arena \+ )(\d+)/, (_m, head: string, off: string) => `${head}${Number(off) + 1}`) });
    expect(broken.matches).toBe(false);
    expect([...broken.outputs[0]!]).toEqual([...want[0]!]);
  });

  test("tinyc run --input per input --output all outputs", async (ctx) => {
    needsEmulator(ctx);
    const dir = mkdtempSync(join(tmpdir(), "tinyc-io-"));
    const model = join(dir, "two_by_two.tflite");
    writeFileSync(model, writeTflite(g));
    writeFileSync(join(dir, "a.bin"), a);
    writeFileSync(join(dir, "b.bin"), b);
    const cli = join(ROOT, "dist", "cli", "main.js");
    const out = join(dir, "out.bin");
    const res = await execa("node", [cli, "run", model, "--input", join(dir, "a.bin"), "--input", join(dir, "b.bin"), "--output", out], { reject: false });
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/output 0 +\[.*\] = reference \(bit-exact\)\noutput 1 +\[.*\] = reference \(bit-exact\)/);
    expect([...readFileSync(out)]).toEqual([...dataBytes(want[0]!), ...dataBytes(want[1]!)]);
    const bad = await execa("node", [cli, "run", model, "--input", join(dir, "a.bin")], { reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/TC120/);
  });
});

describe("an op with several outputs", () => {
  const { c, x } = severalOutputs();

  test("bit-exact in QEMU, every layer; a wrong second piece is caught at the SPLIT", async (ctx) => {
    needsEmulator(ctx);
    const rep = await runCompiled(c, { input: x });
    expect(rep.matches).toBe(true);
    expect(rep.error).toBeUndefined();
    expect(rep.layers.map((l) => l.matches)).toEqual([true, true]);
    // Copy the second piece from one byte further on: its layer hash (the pieces' bytes hashed on in order) must differ.
    const broken = await runCompiled(c, { input: x, patchSource: (s) => s.replace(/(tinyc_copy_blocks_s8\(12, 2, \(tinyc_split3_arena \+ \d+\) \+ )2,/, (_m, head: string) => `${head}3,`) });
    expect(broken.layers[0]!.matches).toBe(false);
    // The output differs too: the report carries the failed check (TC145), naming the output and the op to look at.
    expect(broken.matches).toBe(false);
    expect(broken.error).toMatchObject({ code: "TC145", op: 0, tensor: "part0" });
    expect(formatDiagnostic(broken.error!)).toBe(
      "error TC145 (output differs from the reference) in split3.tflite, op 0, tensor 'part0': output 0 'sum' differs from the reference from element 0 on; op 0 (SPLIT) is the first op whose output differs");
  });

});
