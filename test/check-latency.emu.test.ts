/**
 * `tinyc check --latency`: the cycle model's estimate against a time budget at
 * the part's clock, as a CI job uses it. One table: fits, over (naming the
 * three slowest ops), over with a RAM budget too (both diagnostics), and the
 * limit itself: a budget at the estimate fits, one microsecond under it fails.
 */
import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { CLI, modelPath, needsEmulator } from "./helpers.js";

const model = modelPath("vww_96_int8");
const cli = (...a: string[]) => execa("node", [CLI, ...a], { reject: false });

describe("check --latency", () => {
  test("the estimate against the budget: fits, over, over on RAM too, and at the limit", async (ctx) => {
    needsEmulator(ctx);
    const run = JSON.parse((await cli("run", model, "--clock", "120MHz", "--json")).stdout);
    const ms: number = run.cycles.milliseconds;
    expect(run.cycles.clockHz).toBe(120e6);
    expect(run.cycles.cycles).toBeGreaterThan(run.instructions);
    // Per op (--json always carries them): none negative, and together the inference (the layer hooks add a little).
    const perOp: number[] = run.layers.map((l: { cycles: number }) => l.cycles);
    expect(perOp.every((n) => n >= 0)).toBe(true);
    const sum = perOp.reduce((a, b) => a + b, 0);
    expect(sum / run.cycles.cycles).toBeGreaterThan(0.99);
    expect(sum / run.cycles.cycles).toBeLessThan(1.02);
    const rows: [string, string[], number, RegExp][] = [
      ["fits", ["--latency", "1s"], 0, /latency .* fits; slowest ops op \d+ (CONV_2D|DEPTHWISE_CONV_2D)/],
      ["over", ["--latency", "10ms"], 1, /TC132.*over the budget of 10 ms by [\d.]+ ms; the slowest ops: op \d+ (CONV_2D|DEPTHWISE_CONV_2D) [\d,]+ cycles, op \d+ \w+ [\d,]+ cycles, op \d+ \w+ [\d,]+ cycles/],
      ["over on RAM and time", ["--latency", "10ms", "--ram", "8KB"], 1, /TC131[\s\S]*TC132/],
      ["at the estimate", ["--latency", `${Math.ceil(ms * 1000)}us`], 0, /fits/],
      ["a microsecond under it", ["--latency", `${Math.floor(ms * 1000) - 1}us`], 1, /TC132/],
    ];
    for (const [name, args, code, text] of rows) {
      const r = await cli("check", model, "--clock", "120MHz", ...args);
      expect({ name, code: r.exitCode }).toEqual({ name, code });
      expect(r.stdout + r.stderr, name).toMatch(text);
    }
    const json = JSON.parse((await cli("check", model, "--clock", "120MHz", "--latency", "10ms", "--json")).stdout);
    expect(json.latency).toMatchObject({ budgetMs: 10, cycles: run.cycles.cycles, clockHz: 120e6 });
    expect(json.latency.slowest).toHaveLength(3);
    expect(json.errors.map((e: { code: string }) => e.code)).toEqual(["TC132"]);
  });
});
