/**
 * The cycle model, rule by rule: one firmware image holds a hand-written
 * instruction sequence per timing rule, each between two cycle markers, and a
 * control for each that changes one instruction and must change the count.
 * The expected counts come from the cores' manuals (the Cortex-M4 Technical
 * Reference Manual r0p1, DDI 0439D: Table 3-1, Table 3-2 and section 3.3.2
 * "Load/store timings"), written here independently of
 * the timing tables, so a wrong table row or a wrong decode fails.
 * Every case is measured against an empty sequence between the same markers.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildBareFirmware } from "../src/emulator/firmware.js";
import { markersOf } from "../src/emulator/cycles.js";
import { runFirmware } from "../src/emulator/qemu.js";
import { emulated, loadTarget } from "../src/targets.js";
import { needsEmulator } from "./helpers.js";

interface Rule {
  readonly name: string;
  /** Instructions measured (registers: r1 points at a RAM word holding its own address, r5 at a flash word, r2 = 3, r3 = 5). */
  readonly body: readonly string[];
  /** Cycles the manual gives for the body, per core. */
  readonly cycles: Readonly<Record<string, number>>;
  /** The same body with one instruction changed, and its cycles. */
  readonly control: { readonly body: readonly string[]; readonly cycles: Readonly<Record<string, number>> };
}

const M4 = "cortex-m4";

/** Cortex-M4 TRM r0p1 (DDI 0439D) Tables 3-1, 3-2, section 3.3.2; P (pipeline refill, 1..3 there) = 2 as timing/cortex-m4.json documents. */
const RULES: readonly Rule[] = [
  { name: "data processing: 1 cycle each", body: ["adds r0, r2, r3", "eors r0, r0, r2", "lsls r0, r0, #2"], cycles: { [M4]: 3 },
    control: { body: ["adds r0, r2, r3", "eors r0, r0, r2"], cycles: { [M4]: 2 } } },
  { name: "MUL: 1 cycle", body: ["muls r0, r2, r0"], cycles: { [M4]: 1 },
    control: { body: ["muls r0, r2, r0", "muls r0, r3, r0"], cycles: { [M4]: 2 } } },
  { name: "MLA: 1 cycle (2 on a Cortex-M3, not here)", body: ["mla r0, r2, r3, r0"], cycles: { [M4]: 1 },
    control: { body: ["mla r0, r2, r3, r0", "mls r0, r2, r3, r0"], cycles: { [M4]: 2 } } },
  { name: "SMLAD (DSP multiply-accumulate): 1 cycle", body: ["smlad r0, r2, r3, r0"], cycles: { [M4]: 1 },
    control: { body: ["smlad r0, r2, r3, r0", "smlad r0, r2, r3, r0"], cycles: { [M4]: 2 } } },
  { name: "SMLAL (long multiply-accumulate): 1 cycle", body: ["smlal r0, r4, r2, r3"], cycles: { [M4]: 1 },
    control: { body: ["smlal r0, r4, r2, r3", "adds r0, #1"], cycles: { [M4]: 2 } } },
  { name: "SXTB16, SSAT, QADD8 (DSP data processing): 1 cycle", body: ["sxtb16 r0, r2", "ssat r0, #8, r0", "qadd8 r0, r0, r3"], cycles: { [M4]: 3 },
    control: { body: ["sxtb16 r0, r2", "ssat r0, #8, r0"], cycles: { [M4]: 2 } } },
  { name: "LDR: 2 cycles", body: ["ldr r0, [r1]"], cycles: { [M4]: 2 },
    control: { body: ["adds r0, r2, r3"], cycles: { [M4]: 1 } } },
  { name: "neighbouring loads pipeline: N + 1", body: ["ldr r0, [r1]", "ldr r4, [r1, #4]", "ldrb r6, [r1, #1]"], cycles: { [M4]: 4 },
    control: { body: ["ldr r0, [r1]", "adds r4, r2, r3", "ldrb r6, [r1, #1]"], cycles: { [M4]: 5 } } },
  { name: "a load whose base is the previous load's result does not pipeline", body: ["ldr r0, [r1]", "ldr r4, [r0]"], cycles: { [M4]: 4 },
    control: { body: ["ldr r0, [r1]", "ldr r4, [r1]"], cycles: { [M4]: 3 } } },
  { name: "STR: 1 cycle (its data phase overlaps the next instruction)", body: ["str r2, [r1, #8]"], cycles: { [M4]: 1 },
    control: { body: ["str r2, [r1, #8]", "str r3, [r1, #12]"], cycles: { [M4]: 2 } } },
  { name: "LDR then STR: 3; a load after a store does not pipeline", body: ["ldr r0, [r1]", "str r2, [r1, #8]"], cycles: { [M4]: 3 },
    control: { body: ["ldr r0, [r1]", "str r2, [r1, #8]", "ldr r4, [r1]"], cycles: { [M4]: 5 } } },
  { name: "LDRD: 3 cycles", body: ["ldrd r4, r6, [r1]"], cycles: { [M4]: 3 },
    control: { body: ["ldr r4, [r1]"], cycles: { [M4]: 2 } } },
  { name: "LDM: 1 + N", body: ["ldm r1, {r0, r4, r6}"], cycles: { [M4]: 4 },
    control: { body: ["ldm r1, {r0, r4}"], cycles: { [M4]: 3 } } },
  { name: "PUSH and POP: 1 + N each", body: ["push {r4, r6}", "pop {r4, r6}"], cycles: { [M4]: 6 },
    control: { body: ["push {r0, r4, r6}", "pop {r0, r4, r6}"], cycles: { [M4]: 8 } } },
  { name: "taken branch: 1 + P", body: ["b 1f", "adds r0, #1", "1:"], cycles: { [M4]: 3 },
    control: { body: ["cmp r2, r3", "adds r0, #1", "1:"], cycles: { [M4]: 2 } } },
  { name: "conditional branch taken: 1 + P; not taken: 1", body: ["cmp r2, r2", "beq 1f", "adds r0, #1", "1:"], cycles: { [M4]: 4 },
    control: { body: ["cmp r2, r3", "beq 1f", "adds r0, #1", "1:"], cycles: { [M4]: 3 } } },
  { name: "IT: an instruction whose condition fails still issues", body: ["cmp r2, r3", "it eq", "addeq r0, r0, #1"], cycles: { [M4]: 3 },
    control: { body: ["cmp r2, r3", "ite eq", "addeq r0, r0, #1", "addne r0, r0, #2"], cycles: { [M4]: 4 } } },
  { name: "SDIV: the documented bound (operands are not visible)", body: ["sdiv r0, r3, r2"], cycles: { [M4]: 12 },
    control: { body: ["mul r0, r3, r2"], cycles: { [M4]: 1 } } },
  { name: "BL and BX LR: 1 + P each", body: ["bl tinyc_rule_leaf"], cycles: { [M4]: 6 },
    control: { body: ["bl tinyc_rule_leaf_add"], cycles: { [M4]: 7 } } },
];

/**
 * Cores without a published timing table run on documented approximations
 * (timing/*.json says which): the rules that differ there, with their controls.
 */
const APPROXIMATED: readonly Rule[] = [
  { name: "cortex-m33: a taken branch refills in 1 cycle", body: ["b 1f", "adds r0, #1", "1:"], cycles: { "cortex-m33": 2 },
    control: { body: ["b 1f", "adds r0, #1", "1:", "adds r0, #1"], cycles: { "cortex-m33": 3 } } },
  { name: "cortex-m7: two data-processing instructions issue together", body: ["adds r0, r2, r3", "adds r4, r2, r3"], cycles: { "cortex-m7": 1 },
    control: { body: ["adds r0, r2, r3", "nop"], cycles: { "cortex-m7": 2 } } },
  { name: "cortex-m7: a load from TCM issues in 1 cycle, and pairs after an ALU instruction", body: ["ldr r0, [r1]", "adds r4, r2, r3", "ldr r6, [r1]"], cycles: { "cortex-m7": 2 },
    control: { body: ["ldr r0, [r1]", "nop", "ldr r6, [r1]"], cycles: { "cortex-m7": 3 } } },
  { name: "cortex-m55: IT folds (0 cycles)", body: ["cmp r2, r3", "it eq", "addeq r0, r0, #1"], cycles: { "cortex-m55": 2 },
    control: { body: ["cmp r2, r3", "it eq", "addeq r0, r0, #1", "adds r0, #1"], cycles: { "cortex-m55": 3 } } },
];

const CORES = [M4, "cortex-m33", "cortex-m7", "cortex-m55"];

/** The sequences as one assembly file: case k stores marker 2k before its body and 2k + 1 after it; case 0 is empty. */
function assembly(bodies: readonly (readonly string[])[]): string {
  const lines = [
    ".syntax unified", ".thumb",
    ".section .data", ".align 2", "tinyc_rule_ram:", ".word tinyc_rule_ram", ".word 0", ".word 0", ".word 0",
    ".section .rodata", ".align 2", "tinyc_rule_flash:", ".word 0x12345678",
    ".text",
    ".thumb_func", "tinyc_rule_leaf:", "bx lr",
    ".thumb_func", "tinyc_rule_leaf_add:", "adds r0, #1", "bx lr",
  ];
  bodies.forEach((body, k) => {
    lines.push(".align 2", `.global tinyc_rule_${k}`, ".thumb_func", `tinyc_rule_${k}:`, "push {r4-r7, lr}",
      "ldr r7, =tinyc_cycle_marks", "ldr r1, =tinyc_rule_ram", "ldr r5, =tinyc_rule_flash", "movs r2, #3", "movs r3, #5", "movs r0, #0", "movs r6, #0",
      `str r6, [r7, #${8 * k}]`, "nop", ...body, "nop", `str r6, [r7, #${8 * k + 4}]`, "pop {r4-r7, pc}", ".ltorg");
  });
  return lines.join("\n") + "\n";
}

function mainC(n: number): string {
  const decls = Array.from({ length: n }, (_, k) => `void tinyc_rule_${k}(void);`).join("\n");
  const calls = Array.from({ length: n }, (_, k) => `    tinyc_rule_${k}();`).join("\n");
  return `#include <stdint.h>\n#include "harness.h"\nvolatile uint32_t tinyc_cycle_marks[${2 * n}];\n${decls}\nint main(void)\n{\n${calls}\n    tinyc_print("TINYC END\\n");\n    return 0;\n}\n`;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Cycles of every body (the empty case subtracted), measured in one firmware run on the core. */
async function measure(core: string, bodies: readonly (readonly string[])[], flashWaitStates = 0): Promise<number[]> {
  const t = emulated(loadTarget(core), "the timing tests");
  const dir = mkdtempSync(join(tmpdir(), "tinyc-cycles-"));
  dirs.push(dir);
  const all = [[], ...bodies];
  writeFileSync(join(dir, "rules.S"), assembly(all));
  writeFileSync(join(dir, "main.c"), mainC(all.length));
  const elf = await buildBareFirmware(t, [join(dir, "main.c"), join(dir, "rules.S")], dir);
  const marks = await markersOf(elf);
  const out = await runFirmware(t, elf, 120_000, { marks: marks!, flashWaitStates });
  const delta = (k: number) => out.cycles!.marks.get(2 * k + 1)!.cycles - out.cycles!.marks.get(2 * k)!.cycles;
  return bodies.map((_, i) => delta(i + 1) - delta(0));
}

describe("the cycle model, rule by rule", () => {
  for (const core of CORES) {
    const rules = [...RULES, ...APPROXIMATED].filter((r) => r.cycles[core] !== undefined);
    it(`${core}: every rule's sequence costs what the manual says, and its control differs`, async (ctx) => {
      needsEmulator(ctx);
      const got = await measure(core, rules.flatMap((r) => [r.body, r.control.body]));
      const table = rules.map((r, i) => ({ rule: r.name, body: got[2 * i], control: got[2 * i + 1] }));
      expect(table).toEqual(rules.map((r) => ({ rule: r.name, body: r.cycles[core], control: r.control.cycles[core] })));
      for (const r of rules) expect(r.cycles[core]).not.toBe(r.control.cycles[core]);
    });
  }

  it("cortex-m4: flash wait states cost every flash data access and every taken branch into flash", async (ctx) => {
    needsEmulator(ctx);
    const bodies = [["ldr r0, [r5]"], ["ldr r0, [r1]"], ["b 1f", "adds r0, #1", "1:"]];
    const [zero, three] = [await measure(M4, bodies, 0), await measure(M4, bodies, 3)];
    expect(zero).toEqual([2, 2, 3]);
    // A load from flash pays 3; one from RAM (the control) does not; the branch target is fetched from flash.
    expect(three).toEqual([5, 2, 6]);
  });
});
