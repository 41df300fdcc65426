/** What the build-files tests share: building generated sources warning-free with Make and CMake, and comparing the host example's outputs with the reference. */
import { execa } from "execa";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { compile, type CompileOptions, type CompiledModel } from "../src/compile.js";
import { fromBytes, type Graph } from "../src/compiler/ir.js";
import { tensorOf } from "../src/compiler/ops/common.js";
import { runReference } from "../src/compiler/reference.js";
import { writeSources } from "../src/reports/files.js";
import { modelInputs } from "../src/run.js";

/** -Werror for everything built: CFLAGS of the Makefile; for CMake, the environment's CFLAGS start CMAKE_C_FLAGS. */
export const WERROR = { ...process.env, CFLAGS: "-Werror" };

export const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-build-files-"));

/** Runs a command that must succeed and print no warning; its output. */
export async function ok(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await execa(cmd, args, { cwd, env, extendEnv: false, reject: false, all: true });
  expect(r.exitCode, `${cmd} ${args.join(" ")}:\n${r.all}`).toBe(0);
  expect(r.all, `${cmd} ${args.join(" ")}`).not.toMatch(/warning/i);
  return r.all ?? "";
}

/** `tinyc compile --example` into a fresh folder. */
export function compiled(model: string | Graph, options: CompileOptions): { c: CompiledModel; out: string } {
  const c = compile(model, options), out = tmp();
  writeSources(c, out, { example: true });
  return { c, out };
}

export const make = (dir: string, ...args: string[]) => ok("make", ["-C", dir, "-j2", "CFLAGS=-Werror", ...args], dir);

/** Configures (with -Werror) and builds with CMake in dir/cmake-build; the verbose build log. */
export async function cmake(dir: string, ...configure: string[]): Promise<string> {
  await ok("cmake", ["-S", dir, "-B", join(dir, "cmake-build"), ...configure], dir, WERROR);
  return ok("cmake", ["--build", join(dir, "cmake-build"), "-j", "2", "--verbose"], dir);
}

/** Every output the example printed ("output<k>: v v ..."), float32 values read back as float32. */
export function printed(c: CompiledModel, stdout: string): number[][] {
  return stdout.trim().split("\n").map((line, k) => {
    const [tag, ...values] = line.trim().split(/\s+/);
    expect(tag).toBe(`output${k}:`);
    const float = tensorOf(c.graph, c.graph.outputs[k]!).dtype === "float32";
    return values.map((v) => (float ? Math.fround(Number(v)) : Number(v)));
  });
}

/** The reference's outputs for these input bytes (one buffer per input). */
export function reference(c: CompiledModel, inputs: readonly Uint8Array[]): number[][] {
  const data = inputs.map((b, k) => fromBytes(b, tensorOf(c.graph, c.graph.inputs[k]!).dtype));
  return runReference(c.prepared, data).outputs.map((o) => [...o]);
}

/** Runs the host example on the default inputs (as a file) and on none (zeros); both must print the reference's outputs. */
export async function runsLikeReference(c: CompiledModel, program: string): Promise<void> {
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
