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
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildFiles } from "../src/codegen/build_files.js";
import { compile } from "../src/compile.js";
import { listTargets, loadTarget } from "../src/targets.js";
import { buildZoo } from "../src/zoo/index.js";
import { cmsisRoots, modelPath, needsTools, ROOT } from "./helpers.js";
import { cmake, compiled, make, runsLikeReference, tmp } from "./build-helpers.js";

const HOST_TOOLS = { cmake: "cmake", make: "make", cc: "gcc" };
const ARM_TOOLS = { "arm-none-eabi-gcc": "gcc-arm-none-eabi libnewlib-arm-none-eabi", cmake: "cmake", make: "make" };
describe("build files on the host", () => {
  test("CMake (Release) and Make (-O2) build the library and the example; it prints the reference's outputs", async (ctx) => {
    needsTools(ctx, HOST_TOOLS);
    const { c, out } = compiled(modelPath("vww_96_int8"), { target: "host" });
    expect(existsSync(join(out, "arm-none-eabi.cmake"))).toBe(false);
    const log = await cmake(out);
    expect(log).toMatch(/-O3 -DNDEBUG/); // CMake's Release, the default
    await runsLikeReference(c, join(out, "cmake-build", "tinyc_vww_96_int8_example"));
    expect(await make(out)).toMatch(/^cc .*-O2 -std=c99 -Wall -Wextra .*-Werror -c main\.c/m);
    expect(existsSync(join(out, "libtinyc_vww_96_int8.a"))).toBe(true);
    await runsLikeReference(c, join(out, "tinyc_vww_96_int8_example"));
  });

});

describe("build files for a Cortex-M part", () => {
  test("cortex-m4: CMake with the toolchain file and Make build the library and link the timed example", async (ctx) => {
    needsTools(ctx, ARM_TOOLS);
    const { out } = compiled(modelPath("vww_96_int8"), { target: "cortex-m4" });
    const log = await cmake(out, `-DCMAKE_TOOLCHAIN_FILE=${join(out, "arm-none-eabi.cmake")}`);
    expect(log).toMatch(/arm-none-eabi-gcc .*-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O3 -DNDEBUG -Wall -Wextra .*-std=c99 .*-c \S*tinyc_dsp_conv2d_pairs\.c/);
    const mk = await make(out);
    expect(mk).toMatch(/^arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2 -std=c99 -Wall -Wextra .*-Werror -c main\.c/m);
    for (const elf of [join(out, "cmake-build", "tinyc_vww_96_int8_example.elf"), join(out, "tinyc_vww_96_int8_example.elf")]) {
      const symbols = (await execa("arm-none-eabi-nm", [elf])).stdout;
      expect(symbols).toMatch(/ example_cycles$/m);
      expect(symbols).toMatch(/ tinyc_vww_96_int8_invoke$/m);
    }
    expect(existsSync(join(out, "cmake-build", "libtinyc_vww_96_int8.a"))).toBe(true);
  });

  test("every other Cortex-M target: Make builds the library and links the example with its CPU flags", async (ctx) => {
    needsTools(ctx, ARM_TOOLS);
    const model = buildZoo("isometric", { resolution: 32, depth: 2 });
    for (const t of listTargets().map(loadTarget).filter((x) => !x.host && x.name !== "cortex-m4")) {
      const { c, out } = compiled(model, { target: t.name });
      expect(await make(out)).toContain(`arm-none-eabi-gcc ${t.cflags.join(" ")} -O2 -std=c99`);
      expect(existsSync(join(out, `${c.generated.names.prefix}_example.elf`)), t.name).toBe(true);
    }
  });

  test("cortex-m7 with a streamed input: the example's row callback writes zeros", async (ctx) => {
    needsTools(ctx, ARM_TOOLS);
    const { out } = compiled(modelPath("person_detect"), { target: "cortex-m7", streamInput: true });
    await make(out, "example");
    expect(existsSync(join(out, "tinyc_person_detect_example.elf"))).toBe(true);
  });

  test("cmsis-nn: the family's lines build the user's CMSIS-NN tree into the library", async (ctx) => {
    const root = cmsisRoots()[0];
    if (!root) ctx.skip("no CMSIS-NN tree: set CMSIS_NN_ROOT (see README)");
    needsTools(ctx, ARM_TOOLS);
    const { out } = compiled(modelPath("person_detect"), { target: "cortex-m4", backend: "cmsis-nn", cmsisNn: root });
    await cmake(out, `-DCMAKE_TOOLCHAIN_FILE=${join(out, "arm-none-eabi.cmake")}`);
    await make(out);
    for (const lib of [join(out, "cmake-build", "libtinyc_person_detect.a"), join(out, "libtinyc_person_detect.a")]) {
      expect((await execa("arm-none-eabi-nm", [lib])).stdout).toMatch(/ T arm_convolve_wrapper_s8$/m);
    }
  });
});

describe("what the build files say", () => {
  const m4 = compile(buildZoo("isometric", { resolution: 32, depth: 2 }), { target: "cortex-m4" });
  const host = compile(buildZoo("isometric", { resolution: 32, depth: 2 }), { target: "host" });

  test("CPU flags from the target, optimisation from the build type or OPT, the example only with --example", () => {
    const cross = buildFiles(m4, { example: true }), native = buildFiles(host, { example: true });
    expect(cross["arm-none-eabi.cmake"]).toContain('set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")');
    expect(native["arm-none-eabi.cmake"]).toBeUndefined();
    for (const f of [cross, native]) {
      expect(f["CMakeLists.txt"].replace(/^#.*$/gm, "")).not.toMatch(/-O[0-3s]/); // the build type's
      expect(f["CMakeLists.txt"]).toContain("set(CMAKE_BUILD_TYPE Release CACHE STRING");
      expect(f["CMakeLists.txt"]).toContain("target_include_directories(tinyc_isometric_w32_r32_c3_d2_e3 PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})");
      expect(f.Makefile).toMatch(/^OPT = -O2$/m);
    }
    expect(cross.Makefile).toMatch(/^CPU_FLAGS = -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16$/m);
    expect(native.Makefile).toContain("ifeq ($(origin CC),default)\nCC = cc\nendif");
    for (const f of Object.values(buildFiles(m4))) expect(f).not.toContain("_example");
  });

  test("tinyc compile --example writes main.c; without it there is none", async () => {
    const cli = join(ROOT, "dist", "cli", "main.js"), model = modelPath("person_detect");
    const out = tmp(), plain = join(out, "plain"), example = join(out, "example");
    mkdirSync(plain);
    const r = await execa("node", [cli, "compile", model, "-o", example, "--example", "--json"]);
    expect(JSON.parse(r.stdout).files).toEqual(expect.arrayContaining(["main.c", "Makefile", "CMakeLists.txt", "arm-none-eabi.cmake"]));
    await execa("node", [cli, "compile", model, "-o", plain]);
    expect(readdirSync(plain)).not.toContain("main.c");
    expect((await execa("node", [cli, "compile", "--help"])).stdout).toMatch(/--example\s+also write main\.c/);
  });
});
