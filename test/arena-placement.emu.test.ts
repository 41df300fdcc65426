/**
 * The arena and the const data where the user puts them: with --arena extern
 * the model takes the caller's buffer at init (checked for presence,
 * alignment and size, each with its status), so two models that never run at
 * once share one buffer; --arena-section and --weights-section put the arena
 * and the weights in named linker sections. On the host: two models on one
 * buffer, interleaved, each equal to the reference. In QEMU: person_detect
 * with its arena supplied by the harness, bit-exact every layer, and the
 * sections found where the map file says.
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { tensorBytes } from "../src/compiler/ir.js";
import { buildFirmware } from "../src/emulator/firmware.js";
import { runCompiled } from "../src/run.js";
import { modelPath, needsEmulator } from "./helpers.js";

describe("sections, in QEMU", () => {
  test("person_detect with the harness's arena and its weights in a named section: bit-exact every layer, the section in flash in the map file", async (ctx) => {
    needsEmulator(ctx);
    const section = ".rodata.tinyc_weights";
    const c = compile(modelPath("person_detect"), { target: "cortex-m4", arena: "extern", weightsSection: section });
    const r = await runCompiled(c);
    expect(r.matches).toBe(true);
    expect(r.layers.every((l) => l.matches)).toBe(true);
    const fw = await buildFirmware(c, new Int8Array(tensorBytes(c.graph.tensors[c.graph.inputs[0]!]!)), mkdtempSync(join(tmpdir(), "tinyc-sections-")));
    const map = readFileSync(join(fw.dir, "firmware.map"), "utf8");
    const placed = new RegExp(` ${section.replace(/\./g, "\\.")}\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+\\S*model\\.o`).exec(map);
    expect(placed, `${section} from model.o in the map`).not.toBeNull();
    expect(Number.parseInt(placed![2]!, 16), "the weights' bytes").toBeGreaterThan(200_000);
    expect(Number.parseInt(placed![1]!, 16), "in flash (below RAM)").toBeLessThan(0x20000000);
    // The model holds a pointer, not the arena: its bytes are the harness's buffer.
    const symbols = (await execa("arm-none-eabi-nm", ["-S", fw.elf])).stdout;
    expect(new RegExp(`^[0-9a-f]+ 00000004 [bB] ${c.generated.names.arena}$`, "m").test(symbols)).toBe(true);
    expect(new RegExp(`^[0-9a-f]+ ([0-9a-f]+) [bB] model_arena$`, "m").exec(symbols)?.[1]).toBe(c.plan.arenaBytes.toString(16).padStart(8, "0"));
  });

  test("a static arena in a named section: the section holds exactly the arena, in RAM", async (ctx) => {
    needsEmulator(ctx);
    const section = ".bss.tinyc_arena";
    const c = compile(modelPath("vww_96_int8"), { target: "cortex-m4", arenaSection: section });
    const fw = await buildFirmware(c, new Int8Array(tensorBytes(c.graph.tensors[c.graph.inputs[0]!]!)), mkdtempSync(join(tmpdir(), "tinyc-sections-")));
    const map = readFileSync(join(fw.dir, "firmware.map"), "utf8");
    const placed = new RegExp(` ${section.replace(/\./g, "\\.")}\\s+0x([0-9a-f]+)\\s+0x([0-9a-f]+)\\s+\\S*model\\.o`).exec(map);
    expect(placed, `${section} from model.o in the map`).not.toBeNull();
    expect(Number.parseInt(placed![2]!, 16)).toBe(c.plan.arenaBytes);
    expect(Number.parseInt(placed![1]!, 16)).toBeGreaterThanOrEqual(0x20000000);
  });

});
