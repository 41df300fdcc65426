/** Figures that say what they include, and `tinyc zoo --fit -o` writes the best configuration found. */
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { compile } from "../src/compile.js";
import { zooSummary } from "../src/zoo/fit.js";
import { modelPath, needsEmulator, ROOT } from "./helpers.js";

const CLI = join(ROOT, "dist", "cli", "main.js");
const tinyc = (...args: string[]) => execa("node", [CLI, ...args], { reject: false, cwd: ROOT });
const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-cli-inputs-"));

describe("figures that say what they include", () => {
  test("compile prints thousands separators; plan's greedy figure places the same buffers", async () => {
    const out = tmp();
    const c = await tinyc("compile", modelPath("person_detect"), "-o", out);
    expect(c.stdout).toMatch(/^arena 19,008 bytes \(bound 19,008 streamed, 37,200 with overlaps, 55,424 layer-wise\)/m);
    const p = await tinyc("plan", modelPath("vww_96_int8"));
    expect(p.stdout).toMatch(/^arena +28,368 bytes \(proven minimal for this schedule\); greedy by size \(largest first\) of the same buffers would need 28,480$/m);
    // Never below the bound of the same buffers: whole buffers, no overlaps, is where greedy may beat nothing.
    const whole = JSON.parse((await tinyc("plan", modelPath("vww_96_int8"), "--disable", "all", "--json")).stdout);
    expect(whole).toMatchObject({ greedyArenaBytes: 64512, lowerBoundBytes: 55424 });
  });

  test("run --layers marks streamed ops and says where a segment's instructions count", async (ctx) => {
    const host = await tinyc("run", modelPath("person_detect"), "--target", "host", "--layers", "--json");
    const layers = JSON.parse(host.stdout).layers as { op: number; segment?: number[] }[];
    expect(layers.filter((l) => l.segment).map((l) => l.op)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(layers[3]!.segment).toEqual([0, 1, 2, 3]);
    needsEmulator(ctx);
    const r = await tinyc("run", modelPath("vww_96_int8"), "--layers");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ 2 {2}CONV_2D {12}dsp {7}ops 2-3 +in op 3 {2}= reference$/m);
    expect(r.stdout).toMatch(/^ 3 {2}DEPTHWISE_CONV_2D {2}dsp {7}ops 2-3 +[\d,]+ {2}= reference$/m);
    expect(r.stdout).toMatch(/^streamed: a segment's ops run row by row, interleaved, so all its instructions are counted in its last op/m);
  }, 60_000);

});

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
