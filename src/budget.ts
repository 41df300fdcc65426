/**
 * Budget check: does the compiled model fit a RAM and flash budget? RAM = arena
 * + other static RAM + stack high-water; flash = the model's own flash (weights,
 * tables, generated code, kernels). Measured by building and running the
 * firmware when the toolchain is present, else estimated (and marked so).
 * When it does not fit, the report carries a TC131 diagnostic saying what is
 * over and by how much.
 */
import { assert, diagnostic, fail, type Diagnostic } from "./diagnostics.js";
import type { CompiledModel } from "./compile.js";
import { tensorBytes } from "./compiler/ir.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "./emulator/firmware.js";
import { hasToolchain } from "./emulator/toolchain.js";
import { emulated } from "./targets.js";
import { runCompiled, type RunReport } from "./run.js";
import { requireTimingModel } from "./emulator/cycles.js";

/** Parses "250KB", "250 KiB", "1MB", "256000" (KB and KiB both mean 1024 bytes). */
export function parseBytes(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|bytes?|k|kb|kib|m|mb|mib)?\s*$/i.exec(text);
  if (!m) fail("TC121", "size", { option: what, text });
  const unit = (m[2] ?? "b").toLowerCase();
  const scale = unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1;
  const bytes = Math.round(Number(m[1]) * scale);
  if (bytes <= 0) fail("TC121", "sizePositive", { option: what, text });
  return bytes;
}

export interface BudgetPart {
  readonly name: string;
  readonly bytes: number;
}

export interface CheckReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  readonly fits: boolean;
  readonly measured: boolean;
  readonly ramBudgetBytes: number;
  readonly flashBudgetBytes: number;
  readonly ramBytes: number;
  readonly flashBytes: number;
  readonly modelFlashBytes: number;
  readonly arenaBytes: number;
  readonly lowerBoundBytes: number;
  readonly ramParts: readonly BudgetPart[];
  readonly flashParts: readonly BudgetPart[];
  readonly ramOverBytes: number;
  readonly flashOverBytes: number;
  readonly firmwareFlashBytes?: number;
  readonly instructions?: number;
  /** With a latency budget: the estimate against it. */
  readonly latency?: LatencyCheck;
  /** The first of `errors`. */
  readonly error?: Diagnostic;
  /** TC131 when the model does not fit its RAM or flash budget, TC132 when it is over its latency budget. */
  readonly errors: readonly Diagnostic[];
}

/** A latency budget against the cycle model's estimate. */
export interface LatencyCheck {
  readonly budgetMs: number;
  readonly milliseconds: number;
  readonly cycles: number;
  readonly clockHz: number;
  readonly flashWaitStates: number;
  readonly overMs: number;
  /** The three slowest ops (a streamed segment counts in its last op). */
  readonly slowest: readonly { readonly op: number; readonly kind: string; readonly cycles: number }[];
}

/** What to check: RAM and model-flash bytes (Infinity when not given), and optionally a latency. */
export interface Budget {
  readonly ramBytes: number;
  readonly flashBytes: number;
  readonly latency?: { readonly budgetMs: number; readonly clockHz?: number; readonly flashWaitStates?: number };
}

/** Stack the generated code needs when it cannot be measured (the kernels use well under 1 KiB). */
const ESTIMATED_STACK_BYTES = 1024;
/** Code of one portable kernel when it cannot be measured. */
const ESTIMATED_KERNEL_BYTES = 1024;

/**
 * `run: false` (sweeps) links the firmware for exact flash and static RAM but
 * does not run it: the stack is then the estimate, and marked so. `link: false`
 * estimates everything.
 */
export async function checkBudget(c: CompiledModel, budget: Budget, options: { run?: boolean; link?: boolean } = {}): Promise<CheckReport> {
  emulated(c.target, "tinyc check (it measures RAM and flash on a part)");
  const ramBudget = budget.ramBytes, flashBudget = budget.flashBytes;
  if (budget.latency) requireTimingModel(c.target, "--latency");
  // What model.c holds as const data: weights as the kernels store them (packed, or only the nonzero ones), biases, requantization tables and kernel parameters.
  const weights = c.generated.constSymbols.reduce((s, x) => s + x.bytes, 0);
  let measured = false, stackMeasured = false, otherRam = 0, stack = ESTIMATED_STACK_BYTES, modelFlash = 0, firmwareFlash: number | undefined, instructions: number | undefined;
  let latency: LatencyCheck | undefined;
  if (budget.latency || (hasToolchain() && options.run !== false)) {
    const r = await runCompiled(c, budget.latency ?? {});
    if (budget.latency) latency = latencyOf(r, budget.latency.budgetMs);
    measured = stackMeasured = true;
    otherRam = r.otherStaticRamBytes;
    stack = r.stackHighWaterBytes;
    modelFlash = r.modelFlashBytes;
    firmwareFlash = r.firmwareFlashBytes;
    instructions = r.instructions;
  } else if (hasToolchain() && options.link !== false) {
    const dir = mkdtempSync(join(tmpdir(), "tinyc-size-"));
    try {
      // Zero inputs (the figures do not depend on them): every input's bytes, concatenated.
      const fw = await buildFirmware(c, new Int8Array(c.graph.inputs.reduce((n, id) => n + tensorBytes(c.graph.tensors[id]!), 0)), dir);
      measured = true;
      otherRam = fw.sizes.otherStaticRamBytes;
      modelFlash = fw.sizes.modelFlashBytes;
      firmwareFlash = fw.sizes.firmwareFlashBytes;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    modelFlash = weights + c.graph.nodes.length * 256 + c.generated.kernelFiles.length * ESTIMATED_KERNEL_BYTES;
  }
  const ramParts = [
    { name: `arena (peak at op ${c.plan.steps[c.plan.peakStep]?.op ?? 0} ${c.plan.steps[c.plan.peakStep]?.kind ?? ""})`, bytes: c.plan.arenaBytes },
    { name: stackMeasured ? "stack high-water (measured in QEMU)" : "stack (estimated)", bytes: stack },
    { name: "other static RAM", bytes: otherRam },
  ];
  const flashParts = [
    { name: "weights, biases and tables (as emitted)", bytes: weights },
    { name: measured ? "code and kernels" : "code and kernels (estimated)", bytes: Math.max(0, modelFlash - weights) },
  ];
  const ramBytes = ramParts.reduce((s, p) => s + p.bytes, 0);
  const ram = { bytes: ramBytes, budget: ramBudget, over: Math.max(0, ramBytes - ramBudget) };
  const flash = { bytes: modelFlash, budget: flashBudget, over: Math.max(0, modelFlash - flashBudget) };
  const errors = [overBudget(ram, flash, c.modelPath), latency && overLatency(latency, c.modelPath)].filter((e): e is Diagnostic => e !== undefined);
  const error = errors[0];
  return {
    model: c.modelPath, target: c.target.name, backend: c.backend,
    fits: !error, measured,
    ramBudgetBytes: ramBudget, flashBudgetBytes: flashBudget, ramBytes, flashBytes: modelFlash, modelFlashBytes: modelFlash,
    arenaBytes: c.plan.arenaBytes, lowerBoundBytes: c.plan.lowerBoundBytes,
    ramParts, flashParts, ramOverBytes: ram.over, flashOverBytes: flash.over,
    firmwareFlashBytes: firmwareFlash, instructions,
    ...(latency ? { latency } : {}),
    ...(error ? { error } : {}),
    errors,
  };
}

/** The run's estimate against the budget (the run counted cycles: the target's core has a timing model). */
function latencyOf(r: RunReport, budgetMs: number): LatencyCheck {
  const e = r.cycles;
  assert(e !== undefined, "a run on a core with a timing model estimates cycles");
  const slowest = r.layers.filter((l) => (l.cycles ?? 0) > 0).sort((a, b) => b.cycles! - a.cycles! || a.op - b.op).slice(0, 3)
    .map((l) => ({ op: l.op, kind: l.kind, cycles: l.cycles! }));
  return { budgetMs, milliseconds: e.milliseconds, cycles: e.cycles, clockHz: e.clockHz, flashWaitStates: e.flashWaitStates, overMs: Math.max(0, e.milliseconds - budgetMs), slowest };
}

/** TC132 naming the estimate, the budget and the slowest ops; undefined within the budget. */
function overLatency(l: LatencyCheck, file: string): Diagnostic | undefined {
  if (l.overMs <= 0) return undefined;
  const ms = (x: number) => Number(x.toFixed(3)).toString();
  const ops = l.slowest.map((o) => `op ${o.op} ${o.kind} ${o.cycles.toLocaleString("en-US")} cycles`).join(", ");
  return diagnostic("TC132", "latency", { ms: ms(l.milliseconds), cycles: l.cycles.toLocaleString("en-US"), clock: formatHz(l.clockHz), budget: ms(l.budgetMs), over: ms(l.overMs), ops }, { file });
}

/** 120000000 as "120 MHz". */
export function formatHz(hz: number): string {
  return hz >= 1e9 ? `${hz / 1e9} GHz` : hz >= 1e6 ? `${hz / 1e6} MHz` : hz >= 1e3 ? `${hz / 1e3} kHz` : `${hz} Hz`;
}

interface Use {
  readonly bytes: number;
  readonly budget: number;
  readonly over: number;
}

/** TC131 naming what is over the budget and by how much; undefined when both fit. */
function overBudget(ram: Use, flash: Use, file: string): Diagnostic | undefined {
  if (ram.over > 0 && flash.over > 0) {
    return diagnostic("TC131", "both", {
      ramOver: ram.over, ram: ram.bytes, ramBudget: ram.budget, flashOver: flash.over, flash: flash.bytes, flashBudget: flash.budget,
    }, { file });
  }
  if (ram.over > 0) return diagnostic("TC131", "ram", ram, { file });
  if (flash.over > 0) return diagnostic("TC131", "flash", flash, { file });
  return undefined;
}
