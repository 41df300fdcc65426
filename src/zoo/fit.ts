/**
 * Fit search: sweep a family's documented grid (width x resolution, and depth
 * for isometric networks), compile each configuration and measure its RAM and
 * model flash (in QEMU when the toolchain is present, else estimated), and name
 * the largest configuration that fits (most MACs). Every memory option is on
 * (row streaming included) unless `disable` says otherwise.
 */
import { checkBudget } from "../budget.js";
import { TinycError } from "../diagnostics.js";
import { compile } from "../compile.js";
import type { Graph } from "../compiler/ir.js";
import { opModule } from "../compiler/ops/index.js";
import type { MemoryOption } from "../memory_options.js";
import type { Family, GridPoint } from "./families/common.js";

export interface FitRow {
  readonly config: GridPoint;
  readonly model: string;
  readonly macs: number;
  readonly params: number;
  readonly arenaBytes: number;
  readonly ramBytes: number;
  readonly modelFlashBytes: number;
  readonly measured: boolean;
  readonly fits: boolean;
}

export interface FitReport {
  readonly family: string;
  readonly target: string;
  readonly ramBudgetBytes: number;
  readonly flashBudgetBytes: number;
  readonly rows: readonly FitRow[];
  readonly best?: FitRow;
}

export function zooSummary(g: Graph): { macs: number; params: number } {
  return {
    macs: g.nodes.reduce((s, n) => s + opModule(n).macs(n, g), 0),
    params: g.tensors.filter((t) => t.data && t.dtype === "int8").reduce((s, t) => s + t.data!.length, 0),
  };
}

/** The model the sweep builds and measures for a grid point (calibrated on one seed, for speed): what `zoo --fit -o` writes. */
export function fitModel(family: Family, point: GridPoint, channels: number): Graph {
  return family.build({ ...family.defaults, ...point, channels, calibrate: false });
}

export async function fitSearch(
  family: Family, budget: { ram: number; flash: number; target: string; channels: number; disable?: readonly MemoryOption[] }, progress?: (s: string) => void,
): Promise<FitReport> {
  const rows: FitRow[] = [];
  for (const [i, point] of family.grid.entries()) {
    progress?.(`\r[${i + 1}/${family.grid.length}] ${family.name} width ${point.width} resolution ${point.resolution}${point.depth ? ` depth ${point.depth}` : ""}        `);
    const g = fitModel(family, point, budget.channels);
    const c = compile(g, { target: budget.target, disable: budget.disable });
    let r;
    try {
      r = await checkBudget(c, { ramBytes: budget.ram, flashBytes: budget.flash }, { run: false });
    } catch (e) {
      // Too big for the target part itself: it cannot fit the budget either; size it without linking.
      if (!(e instanceof TinycError) || e.code !== "TC141") throw e;
      r = { ...(await checkBudget(c, { ramBytes: budget.ram, flashBytes: budget.flash }, { run: false, link: false })), fits: false };
    }
    rows.push({
      config: point, model: g.name, ...zooSummary(g), arenaBytes: c.plan.arenaBytes, ramBytes: r.ramBytes,
      modelFlashBytes: r.modelFlashBytes, measured: r.measured, fits: r.fits,
    });
  }
  progress?.("\n");
  const best = rows.filter((r) => r.fits).sort((a, b) => b.macs - a.macs)[0];
  return { family: family.name, target: budget.target, ramBudgetBytes: budget.ram, flashBudgetBytes: budget.flash, rows, best };
}
