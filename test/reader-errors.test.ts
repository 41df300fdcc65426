/**
 * Bad input: every malformed model is made at test time by patching bytes of a
 * shared model, and must give its diagnostic code and a message naming the
 * problem, the file, and the op or tensor — through the library and the CLI
 * (exit code 2, no stack trace).
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { TinycError } from "../src/diagnostics.js";
import { FlatFile, type FlatTable } from "../src/compiler/tflite/flat.js";
import * as fb from "../src/compiler/tflite/schema.js";
import { modelPath, ROOT } from "./helpers.js";

const original = new Uint8Array(readFileSync(modelPath("person_detect")));
const dir = mkdtempSync(join(tmpdir(), "tinyc-bad-"));

interface Model { file: FlatFile; bytes: Uint8Array; subgraph: FlatTable; tensors: FlatTable[]; opcodes: FlatTable[]; operators: FlatTable[] }

function patched(name: string, edit: (m: Model) => void): string {
  const bytes = new Uint8Array(original);
  const file = new FlatFile(bytes);
  const root = file.root();
  const subgraph = root.tables(fb.Model.subgraphs, "subgraphs")[0]!;
  edit({
    file, bytes, subgraph,
    tensors: subgraph.tables(fb.SubGraph.tensors, "tensors"),
    opcodes: root.tables(fb.Model.operatorCodes, "operator_codes"),
    operators: subgraph.tables(fb.SubGraph.operators, "operators"),
  });
  const path = join(dir, `${name}.tflite`);
  writeFileSync(path, bytes);
  return path;
}

function errorOf(path: string): TinycError {
  try {
    compile(path);
  } catch (e) {
    if (e instanceof TinycError) return e;
    throw e;
  }
  throw new Error(`compiling ${path} succeeded`);
}

const view = (m: Model) => new DataView(m.bytes.buffer, m.bytes.byteOffset);
/** The output tensor id of op `i`. */
const outputOf = (m: Model, i: number) => m.operators[i]!.i32Vector(fb.Operator.outputs, "outputs")![0]!;
const tensorName = (m: Model, id: number) => m.tensors[id]!.string(fb.Tensor.name, "name")!;

function setOpcode(m: Model, builtin: number, to: number): void {
  for (const oc of m.opcodes) {
    if (Math.max(oc.i8(fb.OperatorCode.deprecatedBuiltinCode), oc.i32(fb.OperatorCode.builtinCode)) !== builtin) continue;
    const dep = oc.field(fb.OperatorCode.deprecatedBuiltinCode);
    if (dep) m.bytes[dep] = to;
    const code = oc.field(fb.OperatorCode.builtinCode);
    if (code) view(m).setInt32(code, to, true);
  }
}

interface Case { name: string; path: () => string; code: string; message: RegExp; op?: number; tensor?: (m: Model) => string }

let names: Record<string, string> = {};
patched("probe", (m) => { names = { op2out: tensorName(m, outputOf(m, 2)), op0out: tensorName(m, outputOf(m, 0)) }; });

const cases: Case[] = [
  { name: "not a tflite file", path: () => { const p = join(dir, "text.tflite"); writeFileSync(p, "this is a text file, not a model\n"); return p; }, code: "TC101", message: /not "TFL3": this is not a TensorFlow Lite flatbuffer/ },
  { name: "a file shorter than the header", path: () => { const p = join(dir, "tiny.tflite"); writeFileSync(p, original.subarray(0, 6)); return p; }, code: "TC102", message: /6 bytes/ },
  { name: "a truncated model", path: () => { const p = join(dir, "truncated.tflite"); writeFileSync(p, original.subarray(0, 120_000)); return p; }, code: "TC102", message: /outside the file \(120000 bytes\).*truncated or corrupt/ },
  { name: "a corrupt vector length", path: () => patched("corrupt", (m) => { view(m).setUint32(m.subgraph.vectorStart(fb.SubGraph.operators, 4)! - 4, 0x7fffffff, true); }), code: "TC102", message: /operators .*2147483647 elements.*outside the file/ },
  { name: "a float32 activation", path: () => patched("float", (m) => { m.bytes[m.tensors[outputOf(m, 2)]!.field(fb.Tensor.type)] = 0; }), code: "TC105", message: /^the model is not quantized to int8: 1 activation tensors are float32, in 2 ops \(the first: op 2 CONV_2D, op 3 [A-Z_0-9]+\); tinyc runs int8 models: convert with full integer quantization: converter\.optimizations = \[tf\.lite\.Optimize\.DEFAULT\], converter\.representative_dataset/, op: 2 },
  { name: "a uint8 activation", path: () => patched("uint8", (m) => { m.bytes[m.tensors[outputOf(m, 2)]!.field(fb.Tensor.type)] = 3; }), code: "TC111", message: /is uint8/, op: 2 },
  { name: "an int16 activation", path: () => patched("int16", (m) => { m.bytes[m.tensors[outputOf(m, 2)]!.field(fb.Tensor.type)] = 7; }), code: "TC111", message: /is int16/, op: 2 },
  { name: "an unsupported operator", path: () => patched("svdf", (m) => setOpcode(m, 3, 27)), code: "TC110", message: /^SVDF \(builtin 27\) is not supported \(\d+ ops, the first at op 2\); tinyc supports CONV_2D/, op: 2 },
  {
    name: "a float32 model input feeding a compute op",
    path: () => patched("float-input", (m) => {
      m.bytes[m.tensors[m.operators[0]!.i32Vector(fb.Operator.inputs, "inputs")![0]!]!.field(fb.Tensor.type)] = 0;
    }),
    code: "TC105", message: /not quantized to int8: 1 activation tensors are float32, in 1 ops \(the first: op 0 /, op: 0,
  },
  { name: "a dynamic shape", path: () => patched("dynamic", (m) => { view(m).setInt32(m.tensors[outputOf(m, 2)]!.vectorStart(fb.Tensor.shape, 4)!, -1, true); }), code: "TC113", message: /dynamic shape \[-1, 48, 48, 16\]/ },
  { name: "a zero-sized shape", path: () => patched("zero", (m) => { view(m).setInt32(m.tensors[outputOf(m, 0)]!.vectorStart(fb.Tensor.shape, 4)! + 4, 0, true); }), code: "TC114", message: /shape \[1, 0, 48, 8\]; every dimension must be at least 1/ },
];

describe("bad models", () => {
  test.each(cases)("$name gives $code", (c) => {
    const path = c.path();
    const e = errorOf(path);
    const d = e.diagnostics[0]!;
    expect(d.code).toBe(c.code);
    expect(d.message).toMatch(c.message);
    expect(d.file).toBe(path);
    if (c.op !== undefined) expect(d.op).toBe(c.op);
  });

  test("every distinct unsupported operator is named once, with its count and first index; custom operators too", () => {
    const path = patched("several", (m) => { setOpcode(m, 3, 27); setOpcode(m, 4, 44); setOpcode(m, 1, 32); });
    const d = errorOf(path).diagnostics.filter((x) => x.code === "TC110");
    expect(d.map((x) => x.message.split(" is not supported")[0])).toEqual(["UNIDIRECTIONAL_SEQUENCE_LSTM (builtin 44)", "SVDF (builtin 27)", "custom operator '(no custom code)'"]);
    expect(d[0]!.op).toBe(0);
    expect(d[0]!.message).toMatch(/\(14 ops, the first at op 0\)/);
    for (const x of d) expect(x.message).toMatch(/tinyc supports CONV_2D, DEPTHWISE_CONV_2D/);
  });

  test("a float activation is one diagnostic naming the first float op, not one per tensor; a uint8 one names the tensor", () => {
    const f = errorOf(cases.find((c) => c.code === "TC105")!.path());
    expect(f.diagnostics).toHaveLength(1);
    expect(f.diagnostics[0]).toMatchObject({ code: "TC105", op: 2 });
    const e = errorOf(cases.find((c) => c.code === "TC111")!.path());
    expect(e.diagnostics.some((d) => d.tensor === names.op2out)).toBe(true);
  });

  test("the CLI reports bad models with exit code 2 and no stack trace", async () => {
    const cli = join(ROOT, "dist", "cli", "main.js");
    for (const c of [cases[0]!, cases[2]!, cases[4]!, cases[7]!]) {
      const r = await execa("node", [cli, "plan", c.path()], { reject: false });
      expect(r.exitCode, c.name).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`error ${c.code} `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const j = await execa("node", [cli, "plan", c.path(), "--json"], { reject: false });
      expect(j.exitCode).toBe(2);
      const err = JSON.parse(j.stdout).error;
      expect(err.code).toBe(c.code);
      expect(Object.keys(err)).toEqual(expect.arrayContaining(["code", "message", "file", "op"]));
    }
  });
});
