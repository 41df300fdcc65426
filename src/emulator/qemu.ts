/**
 * Runs emulator firmware in qemu-system-arm with semihosting and
 * `-icount shift=0` (one instruction = 1 ns of virtual time, so SysTick counts
 * instructions), stops it after a timeout, and parses the harness's lines.
 */
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fail } from "../diagnostics.js";
import type { EmulatedTarget } from "../targets.js";
import { parseCycleReport, pluginArgs, targetRanges, timingModelOf, type CycleReport } from "./cycles.js";
import { requireToolchain } from "./toolchain.js";

export interface HarnessOutput {
  readonly totalTicks: number;
  /** SysTick ticks from the start of the timed invoke to the end of each op. */
  readonly layerEndTicks: readonly number[];
  /** FNV-1a hash of each op's output bytes. */
  readonly layerHashes: readonly number[];
  readonly stackHighWaterBytes: number;
  readonly stackBytes: number;
  readonly output: Int8Array;
  /** The cycle model's counters at the firmware's markers, when the target's core has a timing model. */
  readonly cycles?: CycleReport;
}

/** How to count cycles: flash wait states (default 0), and the firmware's marker array (address, elements). */
export interface CycleCounting {
  readonly flashWaitStates?: number;
  readonly marks: { readonly address: number; readonly count: number };
}

export const DEFAULT_TIMEOUT_MS = 120_000;

export function qemuArgs(target: EmulatedTarget, elf: string): string[] {
  return [
    "-M", target.qemu.machine, "-cpu", target.qemu.cpu, "-nographic", "-monitor", "none", "-serial", "none",
    "-semihosting-config", "enable=on,target=native", "-icount", "shift=0", "-kernel", elf,
  ];
}

/**
 * Runs the firmware; with `counting` and a timing model for the target's core,
 * under the cycle model too (the plugin's report is written beside the ELF).
 */
export async function runFirmware(target: EmulatedTarget, elf: string, timeoutMs = DEFAULT_TIMEOUT_MS, counting?: CycleCounting): Promise<HarnessOutput> {
  const { qemu } = requireToolchain();
  const model = counting && timingModelOf(target);
  const plugin = model && counting
    ? await pluginArgs({ model, ranges: targetRanges(target), flashWaitStates: counting.flashWaitStates ?? 0, mve: target.mve }, counting.marks, dirname(elf))
    : undefined;
  const r = await execa(qemu, [...qemuArgs(target, elf), ...(plugin?.args ?? [])], { reject: false, timeout: timeoutMs, all: true, stdin: "ignore" });
  const text = r.all ?? "";
  if (r.timedOut) {
    fail("TC143", "qemu", { seconds: Math.round(timeoutMs / 1000), machine: target.qemu.machine, output: JSON.stringify(text.slice(-200)) });
  }
  const faultLine = /TINYC FAULT (\w+)/.exec(text);
  if (faultLine) fail("TC144", "fault", { fault: faultLine[1]!, exitCode: String(r.exitCode) });
  if (r.exitCode !== 0 || !text.includes("TINYC END")) {
    fail("TC144", "qemuExit", { exitCode: String(r.exitCode), output: JSON.stringify(text.slice(-400)) });
  }
  const harness = parseHarness(text);
  if (!plugin) return harness;
  if (!existsSync(plugin.out)) fail("TC144", "qemuExit", { exitCode: String(r.exitCode), output: JSON.stringify("the cycle model wrote no report: " + text.slice(-300)) });
  return { ...harness, cycles: parseCycleReport(readFileSync(plugin.out, "utf8")) };
}

/** Runs a `--target host` program natively and parses the harness's lines. */
export async function runHostProgram(exe: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<HarnessOutput> {
  const r = await execa(exe, { reject: false, timeout: timeoutMs, all: true, stdin: "ignore", maxBuffer: 1 << 28 });
  const text = r.all ?? "";
  if (r.timedOut) fail("TC143", "host", { seconds: Math.round(timeoutMs / 1000) });
  if (r.exitCode !== 0 || !text.includes("TINYC END")) fail("TC144", "hostExit", { exitCode: String(r.exitCode), signal: r.signal ?? "none", output: JSON.stringify(text.slice(-400)) });
  return parseHarness(text);
}

export function parseHarness(text: string): HarnessOutput {
  let totalTicks = 0, stackHighWaterBytes = 0, stackBytes = 0;
  const layerEndTicks: number[] = [], layerHashes: number[] = [];
  let output = new Int8Array(0);
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f[0] !== "TINYC") continue;
    if (f[1] === "STATUS" && Number(f[2]) !== 0) {
      const op = Number(f[2]) - 1;
      fail("TC146", "stopped", { status: String(f[2]), op }, { op });
    }
    if (f[1] === "TOTAL") totalTicks = Number(f[2]);
    else if (f[1] === "LAYER") {
      layerEndTicks[Number(f[2])] = Number(f[3]);
      layerHashes[Number(f[2])] = parseInt(f[4]!, 16);
    } else if (f[1] === "STACK") {
      stackHighWaterBytes = Number(f[2]);
      stackBytes = Number(f[3]);
    } else if (f[1] === "OUTPUT") {
      const hex = f[2] ?? "";
      output = new Int8Array(Buffer.from(hex, "hex"));
    }
  }
  return { totalTicks, layerEndTicks, layerHashes, stackHighWaterBytes, stackBytes, output };
}
