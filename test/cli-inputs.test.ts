/**
 * Inputs a user can reason about: `run --image` says how it mapped pixels, the
 * demo prints the `tinyc run` flags of each run (and `run` with them gives the
 * demo's class), `--labels` names the classes, `zoo --fit -o` writes the best
 * configuration, and the plan's figures say what they include.
 */
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { demoCases } from "../src/cli/demo.js";
import { runCommand } from "../src/cli/run_input.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { compile } from "../src/compile.js";
import { zooSummary } from "../src/zoo/fit.js";
import { MODELS, modelPath, ROOT } from "./helpers.js";

const CLI = join(ROOT, "dist", "cli", "main.js");
const tinyc = (...args: string[]) => execa("node", [CLI, ...args], { reject: false, cwd: ROOT });
const tmp = () => mkdtempSync(join(tmpdir(), "tinyc-cli-inputs-"));
const image = (name: string) => join(MODELS, name);
const top = (scores: number[]) => scores.indexOf(Math.max(...scores));

/** The arguments of a printed `tinyc run ...` command (the demo's paths need no quoting). */
function args(command: string): string[] {
  expect(command).not.toMatch(/['"\\]/);
  const words = command.split(" ");
  expect(words.slice(0, 2)).toEqual(["tinyc", "run"]);
  return words.slice(1);
}

describe("run --image and --pixels", () => {
  test("the flags the demo prints give the demo's class (built with the host's cc)", async () => {
    const cases = demoCases(MODELS).filter((c) => c.expect !== undefined);
    expect(cases.map((c) => c.flags.pixels)).toEqual(["raw", "raw"]);
    for (const c of cases) {
      const command = runCommand(join(MODELS, `${c.model}.tflite`), c.flags);
      expect(command).toMatch(/^tinyc run \S*person_detect\.tflite --image \S*person\.bmp --pixels raw$/);
      const r = await tinyc(...args(command), "--target", "host", "--json");
      expect(r.exitCode, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(top(j.output), command).toBe(c.expect);
      expect(j.image).toMatchObject({ pixels: "raw", mapping: "int8 = the pixel byte itself (128..255 read as -128..-1)", otherMappings: { centered: "int8 = pixel - 128" } });
    }
  }, 60_000);

  test("the default mapping is centered, and stderr says so and names the other", async () => {
    const r = await tinyc("run", modelPath("person_detect"), "--image", image("person.bmp"), "--target", "host");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/output\s+\[4, -4\]/);
    expect(r.stderr).toContain(`image: ${image("person.bmp")}, 96x96, pixels centered (the default): int8 = pixel - 128`);
    expect(r.stderr).toContain("a model's quantization does not say which mapping it was trained with; --pixels raw gives int8 = the pixel byte itself");
    const explicit = await tinyc("run", modelPath("person_detect"), "--image", image("person.bmp"), "--pixels", "centered", "--target", "host");
    expect(explicit.stderr).toMatch(/pixels centered: int8 = pixel - 128\n.*--pixels raw gives/);
    const alone = await tinyc("run", modelPath("person_detect"), "--pixels", "raw", "--target", "host");
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toMatch(/TC121.*--pixels says how --image maps pixels.*give it with --image/);
  }, 60_000);
});

describe("run --labels", () => {
  test("prints class names beside the scores, in text and JSON", async () => {
    const dir = tmp(), labels = join(dir, "labels.txt");
    writeFileSync(labels, "no person\r\nperson\n\n");
    const flags = ["--image", image("person.bmp"), "--pixels", "raw", "--labels", labels, "--target", "host"];
    const text = await tinyc("run", modelPath("person_detect"), ...flags);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^classes {10}person 113, no person -113$/m);
    const j = JSON.parse((await tinyc("run", modelPath("person_detect"), ...flags, "--json")).stdout);
    expect(j.classes).toEqual([{ index: 0, label: "no person", score: -113 }, { index: 1, label: "person", score: 113 }]);
  }, 60_000);

  test("a file that cannot be read, or names too few classes, is a coded error before anything runs", async () => {
    const dir = tmp(), one = join(dir, "one.txt");
    writeFileSync(one, "person\n");
    const short = await tinyc("run", modelPath("person_detect"), "--labels", one, "--target", "host");
    expect(short.exitCode).toBe(2);
    expect(short.stderr).toMatch(/TC120 \(bad input data\) in .*one\.txt: --labels has 1 class name \(one a line\); the output has 2 elements/);
    const missing = await tinyc("run", modelPath("person_detect"), "--labels", join(dir, "none.txt"), "--json");
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout).error).toMatchObject({ code: "TC100", message: expect.stringMatching(/cannot read labels .*none\.txt: ENOENT/) });
  });
});

describe("figures that say what they include", () => {
  test("compile prints thousands separators; plan's greedy figure places the same buffers", async () => {
    const out = tmp();
    const c = await tinyc("compile", modelPath("person_detect"), "-o", out);
    expect(c.stdout).toMatch(/^arena 18,752 bytes \(bound 18,752 streamed, 37,200 with overlaps, 55,424 layer-wise\)/m);
    const p = await tinyc("plan", modelPath("vww_96_int8"));
    expect(p.stdout).toMatch(/^arena +28,176 bytes \(proven minimal for this schedule\); greedy by size \(largest first\) of the same buffers would need 28,288$/m);
    // Never below the bound of the same buffers: whole buffers, no overlaps, is where greedy may beat nothing.
    const whole = JSON.parse((await tinyc("plan", modelPath("vww_96_int8"), "--disable", "all", "--json")).stdout);
    expect(whole).toMatchObject({ greedyArenaBytes: 64512, lowerBoundBytes: 55424 });
  });

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
