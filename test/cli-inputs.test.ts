/** `tinyc zoo --fit -o` writes the best configuration found. */
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { compile } from "../src/compile.js";
import { zooSummary } from "../src/zoo/fit.js";
import { ROOT } from "./helpers.js";

const CLI = join(ROOT, "dist", "cli", "main.js");
const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-cli-inputs-"));

describe("zoo --fit -o", () => {
  // Without the Arm toolchain the sweep estimates: fast, and the same on every machine.
  const bin = tmp();
  symlinkSync(process.execPath, join(bin, "node"));
  const bare = (...a: string[]) => execa(join(bin, "node"), [CLI, ...a], { reject: false, env: { PATH: bin }, extendEnv: false });

  test("writes the largest configuration that fits, as the sweep measured it", async () => {
    const file = join(tmp(), "best.tflite");
    const r = await bare("zoo", "mobilenet-v3-small", "--fit", "--channels", "1", "--ram", "250KB", "--flash", "250KB", "-o", file, "--json");
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.out).toBe(file);
    const g = readTflite(readFileSync(file), "best.tflite");
    expect(zooSummary(g)).toEqual({ macs: j.best.macs, params: j.best.params });
    expect(compile(g, { target: "cortex-m4" }).plan.arenaBytes).toBe(j.best.arenaBytes);
  }, 120_000);

  test("exits 1 and writes nothing when no configuration fits; refuses interface options", async () => {
    const file = join(tmp(), "none.tflite");
    const r = await bare("zoo", "mobilenet-v3-small", "--fit", "--channels", "1", "--ram", "1KB", "--flash", "250KB", "-o", file);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/no configuration fits\nnothing written to .*none\.tflite$/);
    expect(existsSync(file)).toBe(false);
    const io = await bare("zoo", "isometric", "--fit", "--uint8-io", "-o", file);
    expect(io.exitCode).toBe(2);
    expect(io.stderr).toMatch(/TC121.*--fit sweeps int8-interface models/);
  }, 120_000);
});
