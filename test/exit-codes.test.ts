/**
 * Exit codes a CI can trust, one row each: usage error 2 (the option parser's
 * own errors too), bad model 2, fits 0, does not fit 1, output mismatch 1;
 * and the errors a new user meets first: a float model is one coded
 * diagnostic, an output folder that cannot be made is a coded error naming the
 * path and the system's reason. Runs without the Arm toolchain on PATH, so
 * `check` estimates: the same on every machine.
 */
import { execa } from "execa";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { exitCodeOf } from "../src/cli/exit.js";
import { compile } from "../src/compile.js";
import type { Graph, Node } from "../src/compiler/ir.js";
import { TinycError } from "../src/diagnostics.js";
import { CLI, modelPath } from "./helpers.js";
import { GraphBuilder, Random } from "./host-kernels.js";

const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-exit-"));
const bin = tmp();
symlinkSync(process.execPath, join(bin, "node"));
/** The CLI with a PATH holding only node. */
const bare = (...a: string[]) => execa(join(bin, "node"), [CLI, ...a], { reject: false, env: { PATH: bin }, extendEnv: false });

describe("exit codes", () => {
  const notTflite = join(tmp(), "notes.tflite");
  writeFileSync(notTflite, "these are not the bytes you are looking for");
  const rows: [string, string[], number, RegExp][] = [
    ["usage: unknown option", ["plan", modelPath("vww_96_int8"), "--bogus"], 2, /unknown option '--bogus'/],
    ["usage: a required argument missing", ["check"], 2, /missing required argument 'model'/],
    ["usage: check without a budget", ["check", modelPath("vww_96_int8")], 2, /TC121.*check needs a budget: give --ram, --flash and\/or --latency/],
    ["bad --latency", ["check", modelPath("vww_96_int8"), "--latency", "fast"], 2, /TC124.*--latency 'fast' is not a time/],
    ["bad --clock", ["check", modelPath("vww_96_int8"), "--latency", "100ms", "--clock", "fast"], 2, /TC124.*--clock 'fast' is not a clock frequency/],
    ["bad --flash-wait-states", ["run", modelPath("vww_96_int8"), "--flash-wait-states", "-1"], 2, /TC124.*--flash-wait-states must be a whole number from 0 to 15/],
    ["--latency of the host", ["check", modelPath("vww_96_int8"), "--target", "host", "--latency", "100ms"], 2, /TC124.*--latency needs a cycle model of the core; target 'host'/],
    ["--clock of a core without a cycle model", ["run", modelPath("vww_96_int8"), "--target", "cortex-m3", "--clock", "72MHz"], 2, /TC124.*target 'cortex-m3' \(cortex-m3\) has none \(tinyc models cortex-m4/],
    ["--latency without QEMU", ["check", modelPath("vww_96_int8"), "--latency", "100ms"], 2, /TC140.*not found on PATH/],
    ["usage: a bad choice", ["plan", modelPath("vww_96_int8"), "--backend", "bogus"], 2, /argument 'bogus' is invalid/],
    ["usage: an unknown command", ["bogus"], 2, /unknown command 'bogus'/],
    ["usage: a bad value", ["check", modelPath("vww_96_int8"), "--ram", "lots", "--flash", "1MB"], 2, /TC121.*--ram 'lots' is not a size/],
    ["bad model", ["plan", notTflite], 2, /error TC10[12] /],
    ["fits", ["check", modelPath("vww_96_int8"), "--ram", "250KB", "--flash", "250KB"], 0, /^$/],
    ["does not fit", ["check", modelPath("vww_96_int8"), "--ram", "16KB", "--flash", "250KB"], 1, /error TC131 \(does not fit the budget\)/],
  ];
  test.each(rows)("%s → %i", async (_name, args, code, stderr) => {
    const r = await bare(...args);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("output mismatch → 1: the CLI's code for run's TC145 (the run itself is tested in QEMU, interfaces.emu.test.ts)", () => {
    expect(exitCodeOf([{ code: "TC145", message: "differs" }])).toBe(1);
    expect(exitCodeOf([{ code: "TC145", message: "differs" }, { code: "TC120", message: "bad input" }])).toBe(2);
  });

  test("--help lists the exit codes; --help and --version exit 0", async () => {
    const h = await bare("--help");
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}a check you asked for failed/);
    expect((await bare("--version")).exitCode).toBe(0);
  });
});

/**
 * x → CONV_2D → RELU → CONV_2D, every activation float32: a model converted
 * without quantization, or (`int8Weights`) quantized for dynamic range only.
 */
function floatModel(int8Weights = false): Graph {
  const b = new GraphBuilder(), r = new Random(7);
  const f32 = (name: string, shape: number[], data?: number[]) => b.add(name, shape, "float32", undefined, data && new Uint8Array(Float32Array.from(data).buffer));
  const weights = (name: string, shape: number[]) => {
    const n = shape.reduce((x, y) => x * y, 1);
    return int8Weights ? b.int8Const(name, shape, r.int8s(n), Array(shape[0]).fill(0.01), 0) : f32(name, shape, Array.from({ length: n }, () => r.int(-9, 9) / 10));
  };
  const x = f32("x", [1, 8, 8, 3]);
  const w1 = weights("w1", [4, 3, 3, 3]), w2 = weights("w2", [2, 1, 1, 4]);
  const a = f32("a", [1, 6, 6, 4]), a2 = f32("a_relu", [1, 6, 6, 4]), y = f32("y", [1, 6, 6, 2]);
  const conv = { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" };
  const nodes = [
    { kind: "CONV_2D", inputs: [x, w1], outputs: [a], options: conv },
    { kind: "RELU", inputs: [a], outputs: [a2], options: {} },
    { kind: "CONV_2D", inputs: [a2, w2], outputs: [y], options: conv },
  ].map((n, index) => ({ ...n, index }) as Node);
  return { name: "float_net", source: "float_net.tflite", sha256: "0".repeat(64), tensors: b.tensors, nodes, inputs: [x], outputs: [y] };
}

describe("errors a new user meets first", () => {
  test("a float model gets one diagnostic: how many tensors are float, the first ops, and the converter settings", () => {
    let e: unknown;
    try {
      compile(floatModel());
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TinycError);
    const d = (e as TinycError).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ code: "TC105", op: 0, file: "float_net.tflite" });
    expect(d[0]!.message).toMatch(/^the model is not quantized to int8: 4 activation tensors are float32, in 3 ops \(the first: op 0 CONV_2D, op 1 RELU, op 2 CONV_2D\)/);
    expect(d[0]!.message).toMatch(/representative_dataset.*TFLITE_BUILTINS_INT8.*inference_input_type = tf\.int8/);
  });

  test("a model quantized for dynamic range only (int8 weights, float activations) is told so", () => {
    expect(() => compile(floatModel(true))).toThrow(/TC105.*quantized for dynamic range only \(hybrid: int8 weights, float32 activations\): 4 activation tensors are float32, in 3 ops/);
  });

  test("an output folder that cannot be made is a coded error naming the path and the system's reason", async () => {
    const file = join(tmp(), "afile");
    writeFileSync(file, "");
    const r = await bare("compile", modelPath("vww_96_int8"), "-o", join(file, "out"));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error TC104 \\(cannot write file\\) in ${join(file, "out")}: cannot write ${join(file, "out")}: ENOTDIR`));
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
