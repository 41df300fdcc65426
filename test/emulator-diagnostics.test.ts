/**
 * What the emulator path tells a user about an input of the wrong size: it is
 * refused before anything is built (the rest: emulator-diagnostics.emu.test.ts).
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { modelPath, tinycError } from "./helpers.js";

describe("emulator diagnostics", () => {
  test("an input of the wrong size is refused before building", async () => {
    const c = compile(modelPath("person_detect"), { target: "cortex-m4" });
    const e = await tinycError(runCompiled(c, { input: new Int8Array(100) }));
    expect(e.code).toBe("TC120");
    expect(e.message).toMatch(/the input has 100 bytes; 'input' \[1, 96, 96, 1\] int8 needs exactly 9216/);
  });
});
