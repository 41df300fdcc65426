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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { buildFiles } from "../src/codegen/build_files.js";
import { compile, type CompileOptions, type CompiledModel } from "../src/compile.js";
import { fromBytes, type Graph } from "../src/compiler/ir.js";
import { tensorOf } from "../src/compiler/ops/common.js";
import { runReference } from "../src/compiler/reference.js";
import { writeSources } from "../src/reports/files.js";
import { modelInputs } from "../src/run.js";
import { listTargets, loadTarget } from "../src/targets.js";
import { buildZoo } from "../src/zoo/index.js";
import { cmsisRoots, modelPath, needsTools, ROOT } from "./helpers.js";

const HOST_TOOLS = { cmake: "cmake", make: "make", cc: "gcc" };
const ARM_TOOLS = { "arm-none-eabi-gcc": "gcc-arm-none-eabi libnewlib-arm-none-eabi", cmake: "cmake", make: "make" };
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
    expect(log).toMatch(/arm-none-eabi-gcc .*-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O3 -DNDEBUG -Wall -Wextra .*-std=c99 .*-c \S*tinyc_dsp_conv2d\.c/);
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
