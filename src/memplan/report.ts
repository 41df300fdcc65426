/** The memory report (JSON, camelCase) for `tinyc plan`, `compile` and `check`. */
import type { CompiledModel } from "../compile.js";

export interface PlanReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  readonly algorithm: string;
  readonly align: number;
  readonly arenaBytes: number;
  readonly lowerBoundBytes: number;
  /** The layer-wise bound (the bound that applies without overlap options; equals lowerBoundBytes). */
  readonly layerwiseBoundBytes: number;
  readonly gapBytes: number;
  readonly optimal: boolean;
  readonly greedyArenaBytes: number;
  readonly peakOp: number;
  readonly ops: readonly {
    readonly op: number;
    readonly kind: string;
    readonly liveBytes: number;
    readonly scratchBytes: number;
    readonly live: readonly { readonly tensor: string; readonly bytes: number; readonly offset: number }[];
  }[];
}

export function planReport(c: CompiledModel): PlanReport {
  const p = c.plan;
  return {
    model: c.modelPath,
    target: c.target.name,
    backend: c.backend,
    algorithm: p.algorithm,
    align: p.align,
    arenaBytes: p.arenaBytes,
    lowerBoundBytes: p.lowerBoundBytes,
    layerwiseBoundBytes: p.lowerBoundBytes,
    gapBytes: p.arenaBytes - p.lowerBoundBytes,
    optimal: p.optimal,
    greedyArenaBytes: p.greedyArenaBytes,
    peakOp: p.steps[p.peakStep]?.op ?? 0,
    ops: p.steps.map((s) => ({
      op: s.op, kind: s.kind, liveBytes: s.liveBytes, scratchBytes: s.scratchBytes,
      live: s.live.map((l) => ({ tensor: l.name, bytes: l.bytes, offset: l.offset })),
    })),
  };
}

/** The per-op table's rows: op, kind, live bytes, scratch bytes, live tensors with offsets. */
export function formatPlanRows(c: CompiledModel): (string | number)[][] {
  return c.plan.steps.map((s) => [s.op, s.kind, s.liveBytes, s.scratchBytes, s.live.map((l) => `${shortTensorName(l.name)} @${l.offset}`).join("; ")]);
}

/** Converters join fused ops' names with ";": the last part, at most 60 characters, names a tensor well enough in a table. */
export function shortTensorName(name: string): string {
  const last = name.split(";").pop() ?? name;
  return last.length > 60 ? `…${last.slice(-59)}` : last;
}
