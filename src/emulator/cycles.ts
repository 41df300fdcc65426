/**
 * The cycle model: per-core instruction timing tables (timing/<cpu>.json, data
 * with a source for every row) and the QEMU plugin that applies them to every
 * executed instruction (templates/qemu-plugin/tinyc_cycles.c, built here with
 * the host's C compiler and kept by content in the system's temporary folder).
 * Firmware marks the points it wants counted by storing to its
 * `tinyc_cycle_marks` array; the plugin snapshots its counters at each.
 */
import { execa } from "execa";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fail } from "../diagnostics.js";
import { packageRoot } from "../paths.js";
import type { EmulatedTarget, Target } from "../targets.js";
import { cacheDir } from "./objcache.js";
import { which } from "./toolchain.js";

/** The plugin's instruction classes; every table prices each of them. */
export const INSN_CLASSES = [
  "alu", "alu_simd", "alu_pc", "mul", "mla", "mul_dsp", "mac_dsp", "mul_long", "mac_long", "div",
  "load", "load_pc", "load_dual", "load_multiple", "load_multiple_pc", "store", "store_dual", "store_multiple",
  "branch", "branch_cond", "table_branch", "it", "nop", "preload", "barrier", "system",
  "fp", "fp_load", "fp_store", "fp_multiple", "mve", "mve_load", "mve_store", "lob",
] as const;
export type InsnClass = (typeof INSN_CLASSES)[number];

export interface TimingRow {
  readonly cycles: number;
  readonly perRegister?: number;
  readonly source: string;
  readonly note?: string;
}

/** One core's timing table, as timing/<cpu>.json holds it. */
export interface TimingModel {
  readonly core: string;
  readonly title: string;
  readonly sources: Readonly<Record<string, string>>;
  /** What the model ignores or approximates. */
  readonly approximation: string;
  /** Pipeline refill after a taken branch (P in the Cortex-M manuals). */
  readonly refill: TimingRow;
  /** Cycles a single load saves right after a single load (not using its result as the address). */
  readonly loadStorePipelining?: { readonly saving: number; readonly source: string; readonly note?: string };
  /** The refill after a taken low-overhead-loop branch (LE, LETP), when the core caches loop ends. */
  readonly lowOverheadLoops?: { readonly refill: number; readonly source: string; readonly note?: string };
  /** Dual issue: the ordered class pairs whose second instruction issues with the first. */
  readonly dualIssue?: { readonly secondCycles: number; readonly pairs: readonly (readonly [InsnClass, InsnClass])[]; readonly source: string; readonly note?: string };
  readonly classes: Readonly<Record<InsnClass, TimingRow>>;
}

export function timingDir(): string {
  return join(packageRoot(), "timing");
}

/** The cores with a timing table. */
export function modelledCores(): string[] {
  return ["cortex-m4", "cortex-m33", "cortex-m7", "cortex-m55"].filter((c) => existsSync(join(timingDir(), `${c}.json`)));
}

const loaded = new Map<string, TimingModel>();

/** The timing table of the target's core, or undefined when tinyc has none (host, cores without a table). */
export function timingModelOf(target: Target): TimingModel | undefined {
  if (target.host) return undefined;
  const file = join(timingDir(), `${target.cpu}.json`);
  if (!existsSync(file)) return undefined;
  let m = loaded.get(file);
  if (!m) loaded.set(file, (m = checkedTable(JSON.parse(readFileSync(file, "utf8")), file)));
  return m;
}

/** The timing model, or TC124 saying that `what` needs one. */
export function requireTimingModel(target: Target, what: string): TimingModel {
  const m = timingModelOf(target);
  if (!m) fail("TC124", "noModel", { what, target: target.name, cpu: target.cpu, cores: modelledCores().join(", ") });
  return m;
}

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/** Checks a parsed table against the schema (TC125 naming the file and the problem). */
export function checkedTable(raw: unknown, file: string): TimingModel {
  const bad = (problem: string): never => fail("TC125", "table", { file: basename(file), problem });
  const m = raw as TimingModel;
  if (typeof m !== "object" || m === null || typeof m.core !== "string" || typeof m.sources !== "object") bad("needs core, title, sources, refill and classes");
  const cited = (where: string, row: { source?: unknown } | undefined) => {
    if (!row || typeof row.source !== "string" || !(row.source in m.sources)) bad(`${where} cites no source listed in "sources"`);
  };
  if (!isCount(m.refill?.cycles)) bad("refill.cycles must be a whole number of cycles");
  cited("refill", m.refill);
  if (m.loadStorePipelining) {
    if (!isCount(m.loadStorePipelining.saving)) bad("loadStorePipelining.saving must be a whole number");
    cited("loadStorePipelining", m.loadStorePipelining);
  }
  if (m.lowOverheadLoops) {
    if (!isCount(m.lowOverheadLoops.refill)) bad("lowOverheadLoops.refill must be a whole number of cycles");
    cited("lowOverheadLoops", m.lowOverheadLoops);
  }
  if (m.dualIssue) {
    cited("dualIssue", m.dualIssue);
    for (const p of m.dualIssue.pairs) if (!INSN_CLASSES.includes(p[0]) || !INSN_CLASSES.includes(p[1])) bad(`dual-issue pair ${p.join("+")} names an unknown class`);
  }
  for (const c of INSN_CLASSES) {
    const row = m.classes?.[c];
    if (!row || !isCount(row.cycles) || (row.perRegister !== undefined && !isCount(row.perRegister))) bad(`class '${c}' needs whole-number cycles`);
    cited(`class '${c}'`, row);
  }
  for (const c of Object.keys(m.classes)) if (!INSN_CLASSES.includes(c as InsnClass)) bad(`unknown class '${c}'`);
  return m;
}

/** An address range the plugin counts loads and stores in; `flash` ranges pay the wait states. */
export interface AddressRange {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly flash: boolean;
}

/** The emulated machine's flash and RAM, as the target file maps them. */
export function targetRanges(t: EmulatedTarget): AddressRange[] {
  return [
    { name: "flash", lo: t.memory.flashOrigin, hi: t.memory.flashOrigin + t.memory.flashMapped, flash: true },
    { name: "ram", lo: t.memory.ramOrigin, hi: t.memory.ramOrigin + t.memory.ramMapped, flash: false },
  ];
}

export interface CycleSettings {
  readonly model: TimingModel;
  readonly ranges: readonly AddressRange[];
  /** Flash wait states (0: zero-wait-state memory). */
  readonly flashWaitStates: number;
  readonly mve: boolean;
}

/** The plugin's table file for these settings. */
export function pluginTable(s: CycleSettings): string {
  const lines = INSN_CLASSES.map((c) => `class ${c} ${s.model.classes[c].cycles} ${s.model.classes[c].perRegister ?? 0}`);
  lines.push(`param refill ${s.model.refill.cycles}`, `param lob_refill ${s.model.lowOverheadLoops?.refill ?? s.model.refill.cycles}`, `param ls_saving ${s.model.loadStorePipelining?.saving ?? 0}`);
  lines.push(`param dual_second ${s.model.dualIssue?.secondCycles ?? 0}`, `param flash_wait ${s.flashWaitStates}`, `param mve ${s.mve ? 1 : 0}`);
  for (const [a, b] of s.model.dualIssue?.pairs ?? []) lines.push(`pair ${a} ${b}`);
  for (const r of s.ranges) lines.push(`range ${r.name} 0x${r.lo.toString(16)} 0x${r.hi.toString(16)} ${r.flash ? 1 : 0}`);
  return lines.join("\n") + "\n";
}

/** The plugin's source. */
export function pluginSource(): string {
  return join(packageRoot(), "templates", "qemu-plugin", "tinyc_cycles.c");
}

/** Builds the plugin (once per source and compiler) and returns its path. */
export async function cyclePlugin(): Promise<string> {
  const cc = which("cc") ?? which("gcc");
  if (!cc) fail("TC140", "hostCompiler", {});
  const source = readFileSync(pluginSource());
  const key = createHash("sha256").update(cc).update("\0").update(source).digest("hex").slice(0, 16);
  const dir = cacheDir();
  const lib = join(dir, `tinyc_cycles-${key}.so`);
  if (existsSync(lib)) return lib;
  mkdirSync(dir, { recursive: true });
  const partial = `${lib}.${process.pid}.tmp`;
  const r = await execa(cc, ["-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-o", partial, pluginSource()], { reject: false, all: true });
  if (r.exitCode !== 0) fail("TC142", "compiler", { tool: basename(cc), log: r.all });
  renameSync(partial, lib);
  return lib;
}

/** What the plugin counted up to one point. */
export interface CycleCounters {
  readonly cycles: number;
  readonly instructions: number;
  /** Loads and stores per address range, by range name. */
  readonly accesses: Readonly<Record<string, { readonly loads: number; readonly stores: number }>>;
  /** Instructions executed and cycles charged per instruction class (the classes that ran). */
  readonly classes: Readonly<Record<string, { readonly instructions: number; readonly cycles: number }>>;
}

export interface CycleReport {
  /** The counters at each marker the firmware stored to (the last store to it). */
  readonly marks: ReadonlyMap<number, CycleCounters>;
  readonly total: CycleCounters;
}

/** Parses the plugin's output file. */
export function parseCycleReport(text: string): CycleReport {
  let names: string[] = [], classNames: string[] = [];
  const marks = new Map<number, CycleCounters>();
  let total: CycleCounters = { cycles: 0, instructions: 0, accesses: {}, classes: {} };
  const counters = (all: string[]): CycleCounters => {
    const bar = all.indexOf("|"), f = all.slice(0, bar), k = all.slice(bar + 1);
    return {
      cycles: Number(f[0]), instructions: Number(f[1]),
      accesses: Object.fromEntries(names.map((n, i) => [n, { loads: Number(f[2 + 2 * i]), stores: Number(f[3 + 2 * i]) }])),
      classes: Object.fromEntries(classNames.map((n, i) => [n, { instructions: Number(k[2 * i]), cycles: Number(k[2 * i + 1]) }] as const).filter(([, c]) => c.instructions > 0)),
    };
  };
  for (const line of text.split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f[0] === "ranges") names = f.slice(1);
    else if (f[0] === "classes") classNames = f.slice(1);
    else if (f[0] === "mark") marks.set(Number(f[1]), counters(f.slice(2)));
    else if (f[0] === "total") total = counters(f.slice(1));
  }
  return { marks, total };
}

/** The difference of two snapshots (`to` minus `from`). */
export function between(from: CycleCounters, to: CycleCounters): CycleCounters {
  const accesses = Object.fromEntries(Object.entries(to.accesses).map(([n, a]) => [n, { loads: a.loads - (from.accesses[n]?.loads ?? 0), stores: a.stores - (from.accesses[n]?.stores ?? 0) }]));
  const classes = Object.fromEntries(Object.entries(to.classes)
    .map(([n, c]) => [n, { instructions: c.instructions - (from.classes[n]?.instructions ?? 0), cycles: c.cycles - (from.classes[n]?.cycles ?? 0) }] as const)
    .filter(([, c]) => c.instructions > 0));
  return { cycles: to.cycles - from.cycles, instructions: to.instructions - from.instructions, accesses, classes };
}

/** The QEMU arguments that load the plugin, writing its table in `dir`; the report goes to the returned file. */
export async function pluginArgs(s: CycleSettings, marks: { address: number; count: number }, dir: string): Promise<{ args: string[]; out: string }> {
  const table = join(dir, "cycles-table.txt"), out = join(dir, "cycles-report.txt");
  writeFileSync(table, pluginTable(s));
  const lib = await cyclePlugin();
  return { args: ["-plugin", `${lib},table=${table},out=${out},marks=0x${marks.address.toString(16)},nmarks=${marks.count}`], out };
}

/** Parses "80MHz", "120 MHz", "1.2GHz", "32768Hz", "16e6" into hertz (TC124 otherwise). */
export function parseClock(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*(hz|khz|mhz|ghz)?\s*$/i.exec(text);
  const scale: Record<string, number> = { hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9 };
  const hz = m ? Number(m[1]) * scale[(m[2] ?? "hz").toLowerCase()]! : NaN;
  if (!(hz >= 1) || !Number.isFinite(hz)) fail("TC124", "clock", { text });
  return hz;
}

/** Parses "100ms", "0.25s", "2500us", "2500µs" into milliseconds (TC124 otherwise). */
export function parseLatency(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|ms|us|µs)\s*$/i.exec(text);
  const scale: Record<string, number> = { s: 1000, ms: 1, us: 1e-3, "µs": 1e-3 };
  const ms = m ? Number(m[1]) * scale[m[2]!.toLowerCase()]! : NaN;
  if (!(ms > 0)) fail("TC124", "latency", { text });
  return ms;
}

/** Parses --flash-wait-states (0..15). */
export function parseWaitStates(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || n > 15) fail("TC124", "waitStates", { text });
  return n;
}

/** The firmware's `tinyc_cycle_marks` array (address and elements), read with nm; undefined when it has none. */
export async function markersOf(elf: string): Promise<{ address: number; count: number } | undefined> {
  const nm = which("arm-none-eabi-nm");
  if (!nm) return undefined;
  const out = (await execa(nm, ["-S", "--defined-only", elf], { reject: false })).stdout ?? "";
  const m = /^([0-9a-f]+) ([0-9a-f]+) [bBdD] tinyc_cycle_marks$/m.exec(out);
  return m ? { address: Number.parseInt(m[1]!, 16), count: Number.parseInt(m[2]!, 16) / 4 } : undefined;
}
