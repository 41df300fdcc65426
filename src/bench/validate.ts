/**
 * The cycle model against published measurements (README, "Cycles and time",
 * "Validation"): CoreMark built from the user's EEMBC checkout with our port
 * (scripts/coremark-port) for each core's QEMU machine, run under the cycle
 * model between tinyc_cycle_marks[0] and [1] (start_time / stop_time), and
 * compared with CoreMark/MHz measured on silicon with the same compiler
 * family and flags and zero-wait memory (TCM), then with Arm's headline
 * figures (Arm Compiler, not reproducible with GCC). Optionally, firmware that
 * brackets one inference with the same markers (scripts/build-tflm-firmware.sh)
 * is run beside the MLPerf Tiny latencies of the same model.
 *
 *   node dist/bench/validate.js COREMARK_ROOT [--cores a,b] [--opts "-O2;-O3"] [--iterations N] [--vww CORE=ELF]... [--json]
 *
 * Nothing of CoreMark is kept: sources are read from COREMARK_ROOT, objects and
 * reports go to a temporary folder that is removed at the end.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { between, markersOf, timingModelOf, type CycleCounters } from "../emulator/cycles.js";
import { buildBareFirmware } from "../emulator/firmware.js";
import { runFirmware } from "../emulator/qemu.js";
import { packageRoot } from "../paths.js";
import { emulated, loadTarget, type EmulatedTarget } from "../targets.js";
import { ARM_COREMARK, GCC_COREMARK, VWW_PUBLISHED, type PublishedCoreMark } from "./validate_sources.js";

const COREMARK_FILES = ["core_list_join.c", "core_main.c", "core_matrix.c", "core_state.c", "core_util.c", "coremark.h"];
const CORES = ["cortex-m4", "cortex-m33", "cortex-m7", "cortex-m55"];
/** The flags each core is built with by default: those the published GCC measurements state. */
const DEFAULT_OPTS: Readonly<Record<string, readonly string[]>> = {
  "cortex-m4": ["-O2", "-O3"], "cortex-m33": ["-O2", "-O3"], "cortex-m7": ["-O2", "-O3"], "cortex-m55": ["-O3", "-Ofast"],
};

interface Options {
  readonly root: string;
  readonly cores: readonly string[];
  readonly opts?: readonly string[];
  readonly iterations: number;
  readonly vww: readonly { readonly core: string; readonly elf: string }[];
  readonly json: boolean;
}

export interface CoreMarkEstimate {
  readonly core: string;
  readonly flags: string;
  readonly iterations: number;
  readonly instructionsPerIteration: number;
  readonly cyclesPerIteration: number;
  readonly coremarkPerMHz: number;
  readonly gcc?: PublishedCoreMark;
  readonly arm?: PublishedCoreMark;
}

const USAGE = `usage: node dist/bench/validate.js COREMARK_ROOT [--cores cortex-m4,cortex-m33,cortex-m7,cortex-m55] [--opts "-O2;-O3"] [--iterations N] [--vww CORE=ELF]... [--json]`;

/** A wrong command line: main prints the message and the usage, and exits with 2. */
export class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message);
}

export function parseOptions(argv: readonly string[]): Options {
  let root: string | undefined, cores = CORES, opts: string[] | undefined, iterations = 20, json = false;
  const vww: { core: string; elf: string }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, next = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === "--cores") cores = next().split(",");
    else if (a === "--opts") opts = next().split(";").map((s) => s.trim()).filter(Boolean);
    else if (a === "--iterations") iterations = Number(next());
    else if (a === "--json") json = true;
    else if (a === "--vww") {
      const [core, elf] = next().split("=");
      if (!core || !elf) usage("--vww takes CORE=ELF");
      vww.push({ core, elf: resolve(elf) });
    } else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else root = resolve(a);
  }
  if (!root) usage("name your CoreMark checkout (github.com/eembc/coremark)");
  const missing = COREMARK_FILES.filter((f) => !existsSync(join(root!, f)));
  if (missing.length > 0) usage(`${root} is not a CoreMark checkout: no ${missing.join(", ")}`);
  if (!(Number.isInteger(iterations) && iterations > 0)) usage("--iterations takes a positive whole number");
  for (const c of cores) if (!CORES.includes(c)) usage(`no cycle model for ${c} (${CORES.join(", ")})`);
  return { root, cores, opts, iterations, vww, json };
}

/** The counters between the firmware's markers 0 and 1, under the core's cycle model. */
async function bracketed(t: EmulatedTarget, elf: string, flashWaitStates = 0): Promise<CycleCounters> {
  const marks = await markersOf(elf);
  if (!marks || marks.count < 2) throw new Error(`${elf} has no tinyc_cycle_marks[2]`);
  const out = await runFirmware(t, elf, 1_800_000, { marks, flashWaitStates });
  const from = out.cycles?.marks.get(0), to = out.cycles?.marks.get(1);
  if (!from || !to || to.instructions <= from.instructions) throw new Error(`${elf}: the cycle model saw no store to tinyc_cycle_marks[1] after [0]`);
  return between(from, to);
}

/** CoreMark for the core with the flags, run for `iterations` timed iterations under the cycle model. */
export async function coremarkEstimate(root: string, core: string, flags: string, iterations: number, dir: string): Promise<CoreMarkEstimate> {
  const t = emulated(loadTarget(core), "validating the cycle model");
  if (!timingModelOf(t)) throw new Error(`no timing table for ${core}`);
  const port = join(packageRoot(), "scripts", "coremark-port");
  const sources = [...COREMARK_FILES.filter((f) => f.endsWith(".c")).map((f) => join(root, f)), join(port, "core_portme.c")];
  const opt = flags.split(/\s+/).filter(Boolean);
  const cflags = [...opt, "-std=gnu11", "-I", root, "-I", port, `-DITERATIONS=${iterations}`, `-DFLAGS_STR="${opt.join(" ")}"`];
  const elf = await buildBareFirmware(t, sources, dir, cflags);
  const c = await bracketed(t, elf);
  const cyclesPerIteration = c.cycles / iterations;
  return {
    core, flags, iterations, instructionsPerIteration: c.instructions / iterations, cyclesPerIteration,
    coremarkPerMHz: 1e6 / cyclesPerIteration,
    gcc: GCC_COREMARK.find((p) => p.core === core && p.flags === flags),
    arm: ARM_COREMARK.find((p) => p.core === core),
  };
}

const fixed = (v: number, d = 2) => v.toFixed(d);
const ratio = (model: number, published: number | undefined) => (published ? fixed(model / published, 3) : "-");

function printCoreMark(rows: readonly CoreMarkEstimate[]): void {
  console.log("CoreMark under the cycle model (zero-wait memory) vs published CoreMark/MHz");
  console.log("core        flags   instr/iter  cycles/iter  CPI   model CM/MHz | GCC silicon (same flags, TCM)  model/pub | Arm headline  model/pub");
  for (const r of rows) {
    const g = r.gcc, a = r.arm;
    console.log([
      r.core.padEnd(11), r.flags.padEnd(7), fixed(r.instructionsPerIteration, 0).padStart(10), fixed(r.cyclesPerIteration, 0).padStart(12),
      fixed(r.cyclesPerIteration / r.instructionsPerIteration).padStart(5), fixed(r.coremarkPerMHz, 3).padStart(13), " |",
      (g ? `${fixed(g.coremarkPerMHz, 3)} ${g.part}` : "-").padEnd(31), ratio(r.coremarkPerMHz, g?.coremarkPerMHz).padStart(9), " |",
      (a ? fixed(a.coremarkPerMHz) : "-").padStart(12), ratio(r.coremarkPerMHz, a?.coremarkPerMHz).padStart(10),
    ].join(" "));
  }
  const cited = [...new Set(rows.flatMap((r) => [r.gcc, r.arm]).filter((p): p is PublishedCoreMark => !!p))];
  for (const p of cited) console.log(`  ${p.core} ${p.flags} ${fixed(p.coremarkPerMHz, 3)}: ${p.source}; ${p.conditions}`);
}

export interface VwwEstimate {
  readonly core: string;
  readonly elf: string;
  readonly instructions: number;
  /** Cycles at zero wait states, and with each published part's flash wait states charged by the plugin's simple model. */
  readonly cycles: number;
  readonly withWaitStates: readonly { readonly waitStates: number; readonly cycles: number }[];
}

async function vwwEstimate(core: string, elf: string): Promise<VwwEstimate> {
  const t = emulated(loadTarget(core), "validating the cycle model");
  const zero = await bracketed(t, elf);
  const states = [...new Set(VWW_PUBLISHED.filter((p) => p.core === core && p.waitStates > 0).map((p) => p.waitStates))];
  const withWaitStates = [];
  for (const w of states) withWaitStates.push({ waitStates: w, cycles: (await bracketed(t, elf, w)).cycles });
  return { core, elf, instructions: zero.instructions, cycles: zero.cycles, withWaitStates };
}

function printVww(rows: readonly VwwEstimate[]): void {
  console.log("\nMLPerf Tiny visual wake words (vww_96_int8): one inference under the cycle model vs published latency x clock");
  for (const r of rows) {
    console.log(`${r.core} ${r.elf}: ${fixed(r.instructions / 1e6)} M instructions, ${fixed(r.cycles / 1e6)} M cycles at 0 wait states` +
      r.withWaitStates.map((w) => `, ${fixed(w.cycles / 1e6)} M at ${w.waitStates} (every flash data access and taken branch charged)`).join(""));
    for (const p of VWW_PUBLISHED.filter((q) => q.core === r.core)) {
      const pub = p.ms * p.mhz * 1e3, ws = r.withWaitStates.find((w) => w.waitStates === p.waitStates);
      console.log(`  ${p.who}: ${fixed(p.ms, 1)} ms x ${p.mhz} MHz = ${fixed(pub / 1e6)} M cycles (${p.conditions}); model/published ${ratio(r.cycles, pub)} at 0 WS` +
        (ws ? `, ${ratio(ws.cycles, pub)} at ${ws.waitStates} WS` : ""));
    }
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const o = parseOptions(argv);
  const dir = mkdtempSync(join(tmpdir(), "tinyc-validate-"));
  try {
    const coremark: CoreMarkEstimate[] = [];
    // One build and one QEMU run at a time: the machine has two cores and others may be compiling.
    for (const core of o.cores) {
      for (const flags of o.opts ?? DEFAULT_OPTS[core]!) {
        const sub = mkdtempSync(join(dir, `${core}-`));
        coremark.push(await coremarkEstimate(o.root, core, flags, o.iterations, sub));
      }
    }
    const vww: VwwEstimate[] = [];
    for (const v of o.vww) vww.push(await vwwEstimate(v.core, v.elf));
    if (o.json) console.log(JSON.stringify({ coremark, vww }, null, 2));
    else {
      printCoreMark(coremark);
      if (vww.length > 0) printVww(vww);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : e instanceof Error ? e.message : e);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
