/** `--target host`'s large model (host-target.test.ts) on a part-sized target: refused at link time. */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { overEveryPart } from "./generators.js";
import { needsEmulator } from "./helpers.js";

describe("--target host", () => {
  const { big, unstreamed } = overEveryPart();

  test("the part-sized target refuses it at link time", async (ctx) => {
    needsEmulator(ctx);
    await expect(runCompiled(compile(big, { ...unstreamed, target: "cortex-m4" }))).rejects.toThrow(/TC141.*does not fit STM32F469NI/);
  });
});
