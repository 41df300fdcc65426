/**
 * The timing tables are data with a source for every row: each core's file
 * prices every instruction class the plugin decodes and cites a listed
 * source; a table missing a class, citing an unlisted source or pricing a
 * class that does not exist is a coded error naming the file. The clock,
 * latency and wait-state arguments parse or fail with TC124.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { INSN_CLASSES, checkedTable, parseClock, parseLatency, parseWaitStates, pluginTable, timingDir } from "../src/emulator/cycles.js";
import { ROOT } from "./helpers.js";

const tables = readdirSync(timingDir()).filter((f) => f.endsWith(".json"));
const load = (f: string) => JSON.parse(readFileSync(join(timingDir(), f), "utf8"));

describe("timing tables", () => {
  test("the cores the bench reports have a table", () => {
    expect(tables.sort()).toEqual(expect.arrayContaining(["cortex-m4.json"]));
  });

  test.each(tables)("%s prices every class, each row citing a listed source", (f) => {
    const m = checkedTable(load(f), f);
    expect(Object.keys(m.classes).sort()).toEqual([...INSN_CLASSES].sort());
    for (const row of Object.values(m.classes)) expect(m.sources[row.source], row.source).toMatch(/\w/);
    const text = pluginTable({ model: m, ranges: [{ name: "flash", lo: 0, hi: 0x1000, flash: true }], flashWaitStates: 2, mve: false });
    expect(text.match(/^class /gm)).toHaveLength(INSN_CLASSES.length);
    expect(text).toMatch(/^param flash_wait 2$/m);
    expect(text).toMatch(/^range flash 0x0 0x1000 1$/m);
  });

  test("a malformed table is TC125 naming the file and the problem (controls: one defect each)", () => {
    const good = load("cortex-m4.json");
    const { alu: _alu, ...withoutAlu } = good.classes;
    const cases: [string, unknown, RegExp][] = [
      ["a class missing", { ...good, classes: withoutAlu }, /class 'alu' needs whole-number cycles/],
      ["an unlisted source", { ...good, classes: { ...good.classes, load: { cycles: 2, source: "nowhere" } } }, /class 'load' cites no source/],
      ["an unknown class", { ...good, classes: { ...good.classes, teleport: { cycles: 0, source: Object.keys(good.sources)[0] } } }, /unknown class 'teleport'/],
      ["fractional cycles", { ...good, classes: { ...good.classes, mul: { ...good.classes.mul, cycles: 1.5 } } }, /class 'mul' needs whole-number cycles/],
      ["no refill", { ...good, refill: undefined }, /refill.cycles/],
    ];
    for (const [, table, message] of cases) expect(() => checkedTable(table, "/x/bad.json")).toThrow(new RegExp(`TC125.*bad\\.json: ${message.source}`));
    expect(() => checkedTable(good, "cortex-m4.json")).not.toThrow();
  });
});

describe("timing arguments", () => {
  test("clocks", () => {
    expect([parseClock("80MHz"), parseClock("120 MHz"), parseClock("1.2GHz"), parseClock("32768Hz"), parseClock("16e6"), parseClock("400khz")]).toEqual([80e6, 120e6, 1.2e9, 32768, 16e6, 400e3]);
    for (const bad of ["fast", "0MHz", "-5MHz", "80 MBps", ""]) expect(() => parseClock(bad), bad).toThrow(/TC124.*--clock/);
  });
  test("latencies", () => {
    expect([parseLatency("100ms"), parseLatency("0.25s"), parseLatency("2500us"), parseLatency("2500µs")]).toEqual([100, 250, 2.5, 2.5]);
    for (const bad of ["100", "0ms", "soon", "5 min"]) expect(() => parseLatency(bad), bad).toThrow(/TC124.*--latency/);
  });
  test("wait states", () => {
    expect([parseWaitStates("0"), parseWaitStates("5"), parseWaitStates("15")]).toEqual([0, 5, 15]);
    for (const bad of ["16", "-1", "two", "1.5"]) expect(() => parseWaitStates(bad), bad).toThrow(/TC124.*--flash-wait-states/);
  });
  test("the package ships the tables and the plugin source", () => {
    const files: string[] = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).files;
    expect(files).toEqual(expect.arrayContaining(["timing", "templates"]));
  });
});
