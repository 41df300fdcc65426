/**
 * `tinyc analyze`: the model op by op as an engineer sizing a part reads it —
 * kind, the kernel that runs it (and why a fallback does), MACs, the flash its
 * weights and tables take, the activation bytes alive while it runs, its
 * scratch, and its estimated instructions (the kernel families' cost figures);
 * with measurements when they exist (const data sizes from the compiled
 * model.o, instructions from a run), beside the estimates.
 */
import type { ConstSymbol } from "../codegen/generate.js";
import type { CompiledModel } from "../compile.js";

export interface OpAnalysis {
  readonly op: number;
  readonly kind: string;
  /** The kernel family that runs it; "view" when its output is its input's bytes, "slices" when its inputs were written into it. */
  readonly kernel: string;
  /** The C functions its call runs (none for a view or a join written in place). */
  readonly entry: readonly string[];
  /** Why a fallback family runs it, when one does. */
  readonly why?: string;
  /** True when it runs inside a row-streamed segment. */
  readonly streamed: boolean;
  readonly macs: number;
  /** Flash its weights, requantization tables and kernel parameters take (weights two ops share count for the first). */
  readonly constBytes: number;
  /** Bytes of activations alive while it runs (aligned, overlaps applied as planned), scratch excluded. */
  readonly activationBytes: number;
  readonly scratchBytes: number;
  readonly estimatedInstructions: number;
  /** From a run (`--run`); a streamed segment's instructions count in its last op. */
  readonly measuredInstructions?: number;
  /** From a run on a core with a cycle model; counted like measuredInstructions. */
  readonly estimatedCycles?: number;
}

export interface AnalyzeReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  readonly arenaBytes: number;
  /** True when constBytes come from the compiled model.o, false when estimated (arrays exact, structs at 4 bytes a field). */
  readonly constBytesMeasured: boolean;
  readonly ops: readonly OpAnalysis[];
  readonly totals: { readonly macs: number; readonly constBytes: number; readonly estimatedInstructions: number; readonly measuredInstructions?: number; readonly estimatedCycles?: number };
  /** The op whose live bytes are the most. */
  readonly peak: { readonly op: number; readonly kind: string; readonly liveBytes: number };
}

/** What measurement adds: each const symbol's size (from model.o) and each op's instructions (from a run). */
export interface Measured {
  readonly symbolBytes?: ReadonlyMap<string, number>;
  readonly instructions?: ReadonlyMap<number, number>;
  /** Each op's estimated cycles (from a run on a core with a cycle model). */
  readonly cycles?: ReadonlyMap<number, number>;
}

export function analyzeModel(c: CompiledModel, measured: Measured = {}): AnalyzeReport {
  const constBytes = new Map<number, number>();
  // Measured: a symbol model.o lacks was folded into the code by the compiler (a struct a streamed call copies), and takes no data.
  const size = (s: ConstSymbol) => (measured.symbolBytes ? measured.symbolBytes.get(s.symbol) ?? 0 : s.bytes);
  for (const s of c.generated.constSymbols) constBytes.set(s.op, (constBytes.get(s.op) ?? 0) + size(s));
  const streamed = new Set(c.plan.segments.flatMap((s) => s.ops));
  const ops = c.plan.steps.map((step): OpAnalysis => {
    const op = c.lowered.ops.get(step.op)!;
    const kernel = c.plan.elided.has(step.op) ? "slices" : op.kernel?.family ?? "view";
    return {
      op: step.op, kind: step.kind, kernel, entry: kernel === "slices" ? [] : op.kernel?.entry ?? [], ...(op.kernel?.note && kernel !== "slices" ? { why: op.kernel.note } : {}), streamed: streamed.has(step.op),
      macs: op.cost.macs, constBytes: constBytes.get(step.op) ?? 0,
      activationBytes: step.overlapLiveBytes - step.scratchBytes, scratchBytes: step.scratchBytes,
      estimatedInstructions: Math.round(op.cost.instructions),
      ...(measured.instructions ? { measuredInstructions: measured.instructions.get(step.op) ?? 0 } : {}),
      ...(measured.cycles ? { estimatedCycles: measured.cycles.get(step.op) ?? 0 } : {}),
    };
  });
  const sum = (f: (o: OpAnalysis) => number) => ops.reduce((s, o) => s + f(o), 0);
  const peak = c.plan.steps[c.plan.peakStep]!;
  return {
    model: c.modelPath, target: c.target.name, backend: c.backend, arenaBytes: c.plan.arenaBytes,
    constBytesMeasured: measured.symbolBytes !== undefined,
    ops,
    totals: {
      macs: sum((o) => o.macs), constBytes: sum((o) => o.constBytes), estimatedInstructions: sum((o) => o.estimatedInstructions),
      ...(measured.instructions ? { measuredInstructions: sum((o) => o.measuredInstructions ?? 0) } : {}),
      ...(measured.cycles ? { estimatedCycles: sum((o) => o.estimatedCycles ?? 0) } : {}),
    },
    peak: { op: peak.op, kind: peak.kind, liveBytes: peak.overlapLiveBytes },
  };
}
