/**
 * Inputs a user can reason about: `run --image` says how it mapped pixels, the
 * demo prints the `tinyc run` flags of each run (and `run` with them gives the
 * demo's class), `--labels` names the classes, `zoo --fit -o` writes the best
 * configuration, and the plan's figures say what they include.
 */
import { execa } from "execa";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { demoCases } from "../src/cli/demo.js";
import { runCommand } from "../src/cli/run_input.js";
import { MODELS, modelPath, needsEmulator, ROOT } from "./helpers.js";

const CLI = join(ROOT, "dist", "cli", "main.js");
const tinyc = (...args: string[]) => execa("node", [CLI, ...args], { reject: false, cwd: ROOT });

describe("figures that say what they include", () => {
  test("run --layers marks streamed ops and says where a segment's instructions count", async (ctx) => {
    const host = await tinyc("run", modelPath("person_detect"), "--target", "host", "--layers", "--json");
    const layers = JSON.parse(host.stdout).layers as { op: number; segment?: number[] }[];
    expect(layers.filter((l) => l.segment).map((l) => l.op)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(layers[3]!.segment).toEqual([0, 1, 2, 3]);
    needsEmulator(ctx);
    const r = await tinyc("run", modelPath("vww_96_int8"), "--layers");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^ 2 {2}CONV_2D {12}dsp {7}ops 2-3 +in op 3 +in op 3 {2}= reference$/m);
    expect(r.stdout).toMatch(/^ 3 {2}DEPTHWISE_CONV_2D {2}dsp {7}ops 2-3 +[\d,]+ +[\d,]+ {2}= reference$/m);
    expect(r.stdout).toMatch(/^streamed: a segment's ops run row by row, interleaved, so all its instructions are counted in its last op/m);
  }, 60_000);

  test("the demo prints the run commands, the greedy figure of the same buffers and TensorFlow Lite Micro's measured arena", async (ctx) => {
    needsEmulator(ctx);
    const r = await tinyc("demo");
    expect(r.exitCode, r.stderr).toBe(0);
    for (const c of demoCases(MODELS)) expect(r.stdout).toContain(`$ ${runCommand(join(MODELS, `${c.model}.tflite`), c.flags)}\n`);
    expect(r.stdout).toMatch(/greedy by size, largest first, of the same buffers would need 18,752\), peak at op 4/);
    expect(r.stdout).toContain("TensorFlow Lite Micro's own arena for this model: 82,308 bytes with CMSIS-NN, 82,292 with its reference kernels (measured in QEMU; ../shared/baselines/tflm-qemu.json)");
    expect(r.stdout).not.toMatch(/as TensorFlow Lite Micro does/);
    expect(r.stdout).toMatch(/person\.bmp {11}→ person .*\(expected\)/);
  }, 120_000);
});
