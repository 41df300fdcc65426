/**
 * The build files `tinyc compile` writes, built the way a user builds them:
 * with CMake and with Make, warning-free under -Werror. On the host the
 * --example program runs and its printed outputs must be the reference's; on
 * a Cortex-M part the library builds with arm-none-eabi-gcc and the example
 * links (newlib's default memory map: there is no part to run it on). The
 * library also goes into a firmware project the two documented ways
 * (add_subdirectory, make -C).
 */
import { execa } from "execa";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildFiles } from "../src/codegen/build_files.js";
import { compile, type CompileOptions, type CompiledModel } from "../src/compile.js";
import { fromBytes, type Graph, type Node } from "../src/compiler/ir.js";
import { tensorOf } from "../src/compiler/ops/common.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { runReference } from "../src/compiler/reference.js";
import { writeSources } from "../src/reports/files.js";
import { modelInputs } from "../src/run.js";
import { buildZoo } from "../src/zoo/index.js";
import { modelPath, needsTools } from "./helpers.js";
import { GraphBuilder, Random } from "./host-kernels.js";

const HOST_TOOLS = { cmake: "cmake", make: "make", cc: "gcc" };
/** -Werror for everything built: CFLAGS of the Makefile; for CMake, the environment's CFLAGS start CMAKE_C_FLAGS. */
const WERROR = { ...process.env, CFLAGS: "-Werror" };

const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-build-files-"));

/** Runs a command that must succeed and print no warning; its output. */
async function ok(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await execa(cmd, args, { cwd, env, extendEnv: false, reject: false, all: true });
  expect(r.exitCode, `${cmd} ${args.join(" ")}:\n${r.all}`).toBe(0);
  expect(r.all, `${cmd} ${args.join(" ")}`).not.toMatch(/warning/i);
  return r.all ?? "";
}

/** `tinyc compile --example` into a fresh folder. */
function compiled(model: string | Graph, options: CompileOptions): { c: CompiledModel; out: string } {
  const c = compile(model, options), out = tmp();
  writeSources(c, out, { example: true });
  return { c, out };
}

const make = (dir: string, ...args: string[]) => ok("make", ["-C", dir, "-j2", "CFLAGS=-Werror", ...args], dir);

/** Configures (with -Werror) and builds with CMake in dir/cmake-build; the verbose build log. */
async function cmake(dir: string, ...configure: string[]): Promise<string> {
  await ok("cmake", ["-S", dir, "-B", join(dir, "cmake-build"), ...configure], dir, WERROR);
  return ok("cmake", ["--build", join(dir, "cmake-build"), "-j", "2", "--verbose"], dir);
}

/** Every output the example printed ("output<k>: v v ..."), float32 values read back as float32. */
function printed(c: CompiledModel, stdout: string): number[][] {
  return stdout.trim().split("\n").map((line, k) => {
    const [tag, ...values] = line.trim().split(/\s+/);
    expect(tag).toBe(`output${k}:`);
    const float = tensorOf(c.graph, c.graph.outputs[k]!).dtype === "float32";
    return values.map((v) => (float ? Math.fround(Number(v)) : Number(v)));
  });
}

/** The reference's outputs for these input bytes (one buffer per input). */
function reference(c: CompiledModel, inputs: readonly Uint8Array[]): number[][] {
  const data = inputs.map((b, k) => fromBytes(b, tensorOf(c.graph, c.graph.inputs[k]!).dtype));
  return runReference(c.prepared, data).outputs.map((o) => [...o]);
}

/** Runs the host example on the default inputs (as a file) and on none (zeros); both must print the reference's outputs. */
async function runsLikeReference(c: CompiledModel, program: string): Promise<void> {
  const inputs = modelInputs(c, undefined), file = join(tmp(), "input.bin");
  writeFileSync(file, Buffer.concat(inputs));
  expect(printed(c, (await execa(program, [file])).stdout)).toEqual(reference(c, inputs));
  expect(printed(c, (await execa(program)).stdout)).toEqual(reference(c, inputs.map((b) => new Uint8Array(b.length))));
  const short = join(tmp(), "short.bin");
  writeFileSync(short, Buffer.concat(inputs).subarray(1));
  const bad = await execa(program, [short], { reject: false });
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toMatch(/not \d+ bytes long/);
}

/** a, b → sum = a + b (output 0) and proj = a 1x1 convolution of a (output 1). */
function twoByTwo(): Graph {
  const r = new Random(4), g = new GraphBuilder();
  const a = g.activation("a", [1, 4, 5, 3], 0.05, -2), b = g.activation("b", [1, 4, 5, 3], 0.07, 9);
  const sum = g.activation("sum", [1, 4, 5, 3], 0.1, 0), proj = g.activation("proj", [1, 4, 5, 2], 0.05, 3);
  const w = g.int8Const("w", [2, 1, 1, 3], r.int8s(6), [0.02, 0.03], 0);
  const nodes = [
    { kind: "ADD", inputs: [a, b], outputs: [sum], options: { activation: "NONE" } },
    { kind: "CONV_2D", inputs: [a, w], outputs: [proj], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } },
  ].map((n, index) => ({ ...n, index }) as Node);
  return legalize({ name: "two_by_two", source: "two_by_two (generated)", sha256: "0".repeat(64), tensors: g.tensors, nodes, inputs: [a, b], outputs: [sum, proj] });
}

describe("build files on the host", () => {
  test("several inputs and outputs, float32 input and output, a streamed input (rows read from the file)", async (ctx) => {
    needsTools(ctx, HOST_TOOLS);
    const cases: [string | Graph, CompileOptions][] = [
      [twoByTwo(), {}],
      [buildZoo("isometric", { resolution: 32, depth: 2, io: "float32" }), {}],
      [modelPath("vww_96_int8"), { streamInput: true }],
    ];
    for (const [model, options] of cases) {
      const { c, out } = compiled(model, { ...options, target: "host" });
      await make(out);
      await runsLikeReference(c, join(out, `${c.generated.names.prefix}_example`));
    }
  });

  test("in a firmware project: add_subdirectory, or make -C and link the archive", async (ctx) => {
    needsTools(ctx, HOST_TOOLS);
    const project = tmp(), model = join(project, "model");
    const c = compile(twoByTwo(), { target: "host" });
    writeSources(c, model, { example: true });
    writeFileSync(join(project, "app.c"), [
      '#include <stdio.h>', '#include "model.h"', "int main(void)", "{",
      "    tinyc_two_by_two_input0()[0] = 1;", "    tinyc_two_by_two_input1()[0] = 2;",
      "    int status = tinyc_two_by_two_invoke();", '    printf("%d %d\\n", status, tinyc_two_by_two_output0()[0]);', "    return 0;", "}", "",
    ].join("\n"));
    writeFileSync(join(project, "CMakeLists.txt"), ["cmake_minimum_required(VERSION 3.13)", "project(app C)", "add_subdirectory(model)",
      "add_executable(app app.c)", "target_link_libraries(app PRIVATE tinyc_two_by_two)", ""].join("\n"));
    await cmake(project);
    const inputs = [new Uint8Array(60), new Uint8Array(60)];
    inputs[0]![0] = 1;
    inputs[1]![0] = 2;
    const expected = `0 ${reference(c, inputs)[0]![0]}`;
    expect((await execa(join(project, "cmake-build", "app"))).stdout).toBe(expected);
    // The example is built only when its folder is the top level.
    expect(readdirSync(join(project, "cmake-build", "model"))).not.toContain("tinyc_two_by_two_example");
    await make(model, "libtinyc_two_by_two.a");
    expect(existsSync(join(model, "tinyc_two_by_two_example"))).toBe(false);
    await ok("cc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-I", model, "app.c", join(model, "libtinyc_two_by_two.a"), "-o", "app-make"], project);
    expect((await execa(join(project, "app-make"))).stdout).toBe(expected);
  });
});

describe("what the build files say", () => {

  test("the cmsis-nn family's lines: after SRCS in the Makefile, after the library in CMakeLists.txt", () => {
    const c = compile(buildZoo("isometric", { resolution: 32, depth: 2 }), { target: "cortex-m4", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0" });
    const f = buildFiles(c, { example: true });
    const at = (text: string, s: string) => text.indexOf(s);
    expect(at(f.Makefile!, "ALL_CFLAGS =")).toBeLessThan(at(f.Makefile!, "ALL_CFLAGS += -I$(CMSIS_NN_ROOT)/Include"));
    expect(at(f.Makefile!, "SRCS =")).toBeLessThan(at(f.Makefile!, "SRCS += $(filter-out"));
    expect(at(f["CMakeLists.txt"]!, "add_library(")).toBeLessThan(at(f["CMakeLists.txt"]!, "target_sources(tinyc_isometric_w32_r32_c3_d2_e3 PRIVATE ${CMSIS_NN_SOURCES})"));
  });

});
