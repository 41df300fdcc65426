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
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildFiles } from "../src/codegen/build_files.js";
import { compile, type CompileOptions } from "../src/compile.js";
import { type Graph, type Node } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { writeSources } from "../src/reports/files.js";
import { buildZoo } from "../src/zoo/index.js";
import { modelPath, needsTools } from "./helpers.js";
import { cmake, compiled, make, ok, reference, runsLikeReference, tmp } from "./build-helpers.js";
import { GraphBuilder, Random } from "./host-kernels.js";

const HOST_TOOLS = { cmake: "cmake", make: "make", cc: "gcc" };
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
