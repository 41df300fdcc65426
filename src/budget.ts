/**
 * Budget check: does the compiled model fit a RAM and flash budget? RAM = arena
 * + other static RAM + stack high-water; flash = the model's own flash (weights,
 * tables, generated code, kernels). Measured by building and running the
 * firmware when the toolchain is present, else estimated (and marked so).
 * When it does not fit, the report carries a TC131 diagnostic saying what is
 * over and by how much.
 */
import { diagnostic, fail, type Diagnostic } from "./diagnostics.js";
import type { CompiledModel } from "./compile.js";
import { isConstant, tensorBytes } from "./compiler/ir.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildFirmware } from "./emulator/firmware.js";
import { hasToolchain } from "./emulator/toolchain.js";
import { emulated } from "./targets.js";
import { runCompiled } from "./run.js";

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
  /** TC131 when the model does not fit: what is over the budget, and by how much. */
  readonly error?: Diagnostic;
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
export async function checkBudget(c: CompiledModel, ramBudget: number, flashBudget: number, options: { run?: boolean; link?: boolean } = {}): Promise<CheckReport> {
  emulated(c.target, "tinyc check (it measures RAM and flash on a part)");
  const weights = c.graph.tensors.filter(isConstant).reduce((s, t) => s + tensorBytes(t), 0);
  let measured = false, stackMeasured = false, otherRam = 0, stack = ESTIMATED_STACK_BYTES, modelFlash = 0, firmwareFlash: number | undefined, instructions: number | undefined;
  if (hasToolchain() && options.run !== false) {
    const r = await runCompiled(c);
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
    { name: "weights and biases", bytes: weights },
    { name: measured ? "code, tables and kernels" : "code, tables and kernels (estimated)", bytes: Math.max(0, modelFlash - weights) },
  ];
  const ramBytes = ramParts.reduce((s, p) => s + p.bytes, 0);
  const ram = { bytes: ramBytes, budget: ramBudget, over: Math.max(0, ramBytes - ramBudget) };
  const flash = { bytes: modelFlash, budget: flashBudget, over: Math.max(0, modelFlash - flashBudget) };
  const error = overBudget(ram, flash, c.modelPath);
  return {
    model: c.modelPath, target: c.target.name, backend: c.backend,
    fits: !error, measured,
    ramBudgetBytes: ramBudget, flashBudgetBytes: flashBudget, ramBytes, flashBytes: modelFlash, modelFlashBytes: modelFlash,
    arenaBytes: c.plan.arenaBytes, lowerBoundBytes: c.plan.lowerBoundBytes,
    ramParts, flashParts, ramOverBytes: ram.over, flashOverBytes: flash.over,
    firmwareFlashBytes: firmwareFlash, instructions,
    ...(error ? { error } : {}),
  };
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
