/**
 * Models with several inputs and outputs: one accessor and one set of macros
 * per input and output in model.h, inputs given one buffer each or
 * concatenated, every output compared and reported (library and CLI).
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { dataBytes, type Graph, type Node } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { formatDiagnostic, TinycError } from "../src/diagnostics.js";
import { modelInputs, runCompiled } from "../src/run.js";
import { needsEmulator, ROOT } from "./helpers.js";
import { GraphBuilder, Random } from "./host-kernels.js";

/** a, b → sum = a + b (output 0) and proj = 1x1 conv of a (output 1), through the .tflite writer. */
function twoByTwo(): Graph {
  const r = new Random(4);
  const g = new GraphBuilder();
  const a = g.activation("a", [1, 4, 5, 3], 0.05, -2);
  const b = g.activation("b", [1, 4, 5, 3], 0.07, 9);
  const sum = g.activation("sum", [1, 4, 5, 3], 0.1, 0);
  const w = g.int8Const("w", [2, 1, 1, 3], r.int8s(6), [0.02, 0.03], 0);
  const proj = g.activation("proj", [1, 4, 5, 2], 0.05, 3);
  const nodes = [
    { kind: "ADD", inputs: [a, b], outputs: [sum], options: { activation: "NONE" } },
    { kind: "CONV_2D", inputs: [a, w], outputs: [proj], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } },
  ].map((n, index) => ({ ...n, index }) as Node);
  const graph = legalize({ name: "two_by_two", source: "two_by_two (generated)", sha256: "0".repeat(64), tensors: g.tensors, nodes, inputs: [a, b], outputs: [sum, proj] });
  return readTflite(writeTflite(graph), "two_by_two.tflite");
}

describe("several inputs and outputs", () => {
  const g = twoByTwo();
  const c = compile(g);
  const r = new Random(9);
  const a = r.int8s(60), b = r.int8s(60);
  const want = runReference(c.prepared, [a, b]).outputs;

  test("model.h has an accessor and macros per input and output, in the model's order", () => {
    const h = c.generated.header;
    expect(h).toMatch(/#define TINYC_TWO_BY_TWO_INPUTS 2\n#define TINYC_TWO_BY_TWO_OUTPUTS 2/);
    for (const [role, k, name, shape] of [["INPUT", 0, "a", "1, 4, 5, 3"], ["INPUT", 1, "b", "1, 4, 5, 3"], ["OUTPUT", 0, "sum", "1, 4, 5, 3"], ["OUTPUT", 1, "proj", "1, 4, 5, 2"]] as const) {
      expect(h).toContain(`#define TINYC_TWO_BY_TWO_${role}${k}_SHAPE { ${shape} }`);
      expect(h).toContain(`int8_t *tinyc_two_by_two_${role.toLowerCase()}${k}(void);`);
      expect(h).toMatch(new RegExp(`${role === "INPUT" ? "Input" : "Output"} ${k} '${name}'`));
    }
    expect(h).toContain("#define TINYC_TWO_BY_TWO_INPUT1_ZERO_POINT (9)");
    expect(h).toContain("#define tinyc_two_by_two_input tinyc_two_by_two_input0");
    expect(c.generated.source).toMatch(/int8_t \*tinyc_two_by_two_output1\(void\) \{/);
  });

  test("inputs one buffer each or concatenated; sizes are checked per input", () => {
    const cat = new Int8Array([...a, ...b]);
    expect(modelInputs(c, [a, b]).map((x) => [...x])).toEqual(modelInputs(c, cat).map((x) => [...x]));
    expect(() => modelInputs(c, [a])).toThrow(/TC120.*the input has 60 bytes; the model's 2 inputs need 120 together \(input 0 'a' \[1, 4, 5, 3\] int8: 60 bytes; input 1 'b'/);
    expect(() => modelInputs(c, [a, new Int8Array(7)])).toThrow(TinycError);
    expect(() => modelInputs(c, [a, new Int8Array(7)])).toThrow(/2 inputs of 60, 7 bytes given/);
  });

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

/** x → SPLIT along the channels into three → ADD(part 0, part 1) and part 2, both model outputs; through the writer. */
function splitModel(): Graph {
  const g = new GraphBuilder();
  const x = g.activation("x", [1, 3, 4, 6], 0.05, -3);
  const axis = g.add("axis", [], "int32", undefined, new Uint8Array(Int32Array.of(3).buffer));
  const parts = [0, 1, 2].map((k) => g.activation(`part${k}`, [1, 3, 4, 2], 0.05, -3));
  const sum = g.activation("sum", [1, 3, 4, 2], 0.1, 4);
  const nodes = [
    { kind: "SPLIT", inputs: [axis, x], outputs: parts, options: { numSplits: 3 } },
    { kind: "ADD", inputs: [parts[0]!, parts[1]!], outputs: [sum], options: { activation: "NONE" } },
  ].map((n, index) => ({ ...n, index }) as Node);
  const graph = legalize({ name: "split3", source: "split3 (generated)", sha256: "0".repeat(64), tensors: g.tensors, nodes, inputs: [x], outputs: [sum, parts[2]!] });
  return readTflite(writeTflite(graph), "split3.tflite");
}

describe("an op with several outputs", () => {
  const c = compile(splitModel());
  const x = new Random(11).int8s(72);
  const want = runReference(c.prepared, [x]);

  test("each output gets its own buffer, and the reference's layer is their bytes in order", () => {
    const split = c.graph.nodes[0]!;
    const offsets = split.outputs.map((id) => c.plan.tensorOffsets.get(id)!);
    expect(new Set(offsets).size).toBe(3);
    expect([...want.layers[0]!]).toEqual([0, 1, 2].flatMap((k) => [...x].filter((_, i) => Math.floor((i % 6) / 2) === k)).map((v) => v & 0xff));
  });

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
