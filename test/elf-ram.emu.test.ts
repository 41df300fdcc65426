/**
 * The arena holds everything a model needs in RAM (input, output, every
 * activation, kernel scratch and temporaries): in the linked firmware, the RAM
 * outside the arena symbol (.data + .bss, stack reserve excluded) is only the
 * emulator harness's bookkeeping, and the model's own objects (model.c and the
 * kernels) add nothing. Figures are recorded in test/expected/elf-ram.json; a
 * change in either direction must update them.
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { tensorBytes } from "../src/compiler/ir.js";
import { buildFirmware } from "../src/emulator/firmware.js";
import { MODEL_NAMES, modelPath, needsEmulator, ROOT } from "./helpers.js";

const recorded = JSON.parse(readFileSync(join(ROOT, "test", "expected", "elf-ram.json"), "utf8"));

describe.each(MODEL_NAMES)("%s firmware (portable, cortex-m4, every memory option)", (m) => {
  test("RAM outside the arena is the recorded harness bookkeeping only", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(modelPath(m));
    const fw = await buildFirmware(c, new Int8Array(tensorBytes(c.graph.tensors[c.graph.inputs[0]!]!)), mkdtempSync(join(tmpdir(), "tinyc-elf-")));
    const sections = new Map((await execa("arm-none-eabi-size", ["-A", fw.elf])).stdout.split("\n")
      .map((l) => /^(\.\S+)\s+(\d+)\s+\d+$/.exec(l)).filter((x) => x !== null).map((x) => [x[1]!, Number(x[2])]));
    const symbols = (await execa("arm-none-eabi-nm", ["-S", fw.elf])).stdout;
    const arena = new RegExp(`^[0-9a-f]+ ([0-9a-f]+) [bBdD] ${c.generated.names.arena}$`, "m").exec(symbols);
    expect(Number.parseInt(arena![1]!, 16)).toBe(c.plan.arenaBytes);
    const outside = (sections.get(".data") ?? 0) + (sections.get(".bss") ?? 0) - c.plan.arenaBytes;
    expect(outside).toBe(recorded[m].ramOutsideArenaBytes);
    expect(fw.sizes.otherStaticRamBytes, "RAM in model.c and the kernels beyond the arena").toBe(0);
  });
});
