/**
 * The cycle model's validation script (src/bench/validate.ts): its command
 * line, and the published figures it compares with (one GCC measurement per
 * core and default flags, each with a source and conditions).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseOptions, UsageError } from "../src/bench/validate.js";
import { ARM_COREMARK, GCC_COREMARK, VWW_PUBLISHED } from "../src/bench/validate_sources.js";

const root = mkdtempSync(join(tmpdir(), "tinyc-validate-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fakeCheckout(): string {
  const dir = join(root, "coremark");
  mkdirSync(dir, { recursive: true });
  for (const f of ["core_list_join.c", "core_main.c", "core_matrix.c", "core_state.c", "core_util.c", "coremark.h"]) writeFileSync(join(dir, f), "");
  return dir;
}

describe("validate-cycles command line", () => {
  it("takes a CoreMark checkout, cores, flags, iterations and TFLM firmware", () => {
    const dir = fakeCheckout();
    const o = parseOptions([dir, "--cores", "cortex-m4,cortex-m7", "--opts", "-O2; -O3 -funroll-loops", "--iterations", "5", "--vww", "cortex-m4=fw.elf"]);
    expect(o).toMatchObject({ root: dir, cores: ["cortex-m4", "cortex-m7"], opts: ["-O2", "-O3 -funroll-loops"], iterations: 5, json: false });
    expect(o.vww[0]).toMatchObject({ core: "cortex-m4" });
    expect(o.vww[0]!.elf.endsWith("fw.elf")).toBe(true);
  });

  it("refuses a folder that is not a CoreMark checkout, a core without a timing table, and a bad count", () => {
    const dir = fakeCheckout();
    expect(() => parseOptions([root])).toThrow(/not a CoreMark checkout: no core_list_join\.c/);
    expect(() => parseOptions([])).toThrow(UsageError);
    expect(() => parseOptions([dir, "--cores", "cortex-m3"])).toThrow(/no cycle model for cortex-m3/);
    expect(() => parseOptions([dir, "--iterations", "0"])).toThrow(/positive whole number/);
    expect(() => parseOptions([dir, "--vww", "fw.elf"])).toThrow(/CORE=ELF/);
  });
});

describe("the published figures", () => {
  it("give every modelled core a GCC measurement in zero-wait memory and Arm's figure, each with a source", () => {
    for (const core of ["cortex-m4", "cortex-m33", "cortex-m7", "cortex-m55"]) {
      expect(GCC_COREMARK.some((p) => p.core === core)).toBe(true);
      expect(ARM_COREMARK.filter((p) => p.core === core)).toHaveLength(1);
    }
    for (const p of [...GCC_COREMARK, ...ARM_COREMARK]) {
      expect(p.coremarkPerMHz).toBeGreaterThan(2);
      expect(p.coremarkPerMHz).toBeLessThan(6);
      expect(p.source.length).toBeGreaterThan(20);
    }
    for (const v of VWW_PUBLISHED) expect(v.ms * v.mhz).toBeGreaterThan(0);
  });
});
