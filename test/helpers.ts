/**
 * Shared test fixtures: the shared models and golden files, the emulator guard,
 * the built CLI, the CMSIS-NN trees and the real-model manifest (each used by a
 * test file and its emulator half, *.emu.test.ts).
 */
import { execa } from "execa";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TestContext } from "vitest";
import { hasToolchain, which } from "../src/emulator/toolchain.js";
import type { Graph } from "../src/compiler/ir.js";
import { legalizePrepared } from "../src/compiler/passes/legalize.js";
import { lower, lowerOp } from "../src/lower/lower.js";
import type { LoweredGraph } from "../src/lower/types.js";
import { loadTarget } from "../src/targets.js";
import { TinycError } from "../src/diagnostics.js";

export const ROOT = resolve(import.meta.dirname, "..");
export const SHARED = resolve(ROOT, "..", "shared");
export const MODELS = join(SHARED, "models");
export const GOLDEN = join(SHARED, "golden");
export const MODEL_NAMES = ["person_detect", "vww_96_int8"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export function modelPath(m: ModelName): string {
  return join(MODELS, `${m}.tflite`);
}

export function goldenCases(m: ModelName): string[] {
  const meta = JSON.parse(readFileSync(join(GOLDEN, m, "meta.json"), "utf8")) as { files: Record<string, unknown> };
  return Object.keys(meta.files).filter((f) => f.startsWith("input_")).map((f) => f.replace(/^input_|\.bin$/g, ""));
}

export function goldenBytes(m: ModelName, kind: "input" | "output", c: string): Int8Array {
  const b = readFileSync(join(GOLDEN, m, `${kind}_${c}.bin`));
  return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function goldenLayers(m: ModelName, c: string): { file: string; op: number }[] | undefined {
  const index = join(GOLDEN, m, "layers", c, "index.json");
  if (!existsSync(index)) return undefined;
  const j = JSON.parse(readFileSync(index, "utf8")) as { ops: { file: string; index: number }[] };
  return j.ops.map((l) => ({ file: join(GOLDEN, m, "layers", c, l.file), op: l.index }));
}

/**
 * Emulator tests need arm-none-eabi-gcc and qemu-system-arm. Under CI=true their
 * absence is a failure; elsewhere the test skips and says why.
 */
export function needsEmulator(ctx: TestContext): void {
  if (hasToolchain()) return;
  const why = "arm-none-eabi-gcc or qemu-system-arm not found (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)";
  if (process.env.CI === "true") throw new Error(`CI=true but ${why}`);
  ctx.skip(why);
}

/**
 * Tests that run build tools (tool → the Debian package that has it, e.g.
 * { cmake: "cmake" }): under CI=true a missing one is a failure; elsewhere the
 * test skips and says why. scripts/setup.sh installs them all.
 */
export function needsTools(ctx: TestContext, tools: Readonly<Record<string, string>>): void {
  const missing = Object.keys(tools).filter((t) => !which(t));
  if (missing.length === 0) return;
  const why = `${missing.join(" and ")} not found (apt-get install ${missing.map((t) => tools[t]).join(" ")}, or run scripts/setup.sh)`;
  if (process.env.CI === "true") throw new Error(`CI=true but ${why}`);
  ctx.skip(why);
}

/** CMSIS-NN trees to test against: CMSIS_NN_ROOT, and CMSIS_NN_ROOTS (colon-separated) for several versions. */
export function cmsisRoots(): string[] {
  const roots = [process.env.CMSIS_NN_ROOT, ...(process.env.CMSIS_NN_ROOTS ?? "").split(":")].filter((r): r is string => Boolean(r));
  return [...new Set(roots)].filter((r) => existsSync(join(r, "Include", "arm_nnfunctions.h")));
}

/** A graph legalized and lowered for a backend on a target (each op's kernel and facts), as compile() does before planning. */
export function lowerGraph(g: Graph, backend = "portable", target = "cortex-m4"): LoweredGraph {
  return lower(legalizePrepared(g), backend, loadTarget(target)).lowered;
}

/** A graph lowered op by op without lowering's PAD folding (each PAD kept), for comparisons with the folded plan. */
export function lowerEach(g: Graph, backend = "portable", target = "cortex-m4"): LoweredGraph {
  const p = legalizePrepared(g), t = loadTarget(target);
  return { graph: g, backend, ops: new Map(g.nodes.map((n) => [n.index, lowerOp(n, g, p.params.get(n.index), backend, t)])) };
}
/** The kernel families and cores the golden cases run on in QEMU (emulator-golden). */
export const GOLDEN_RUNS = [
  ...["cortex-m3", "cortex-m4", "cortex-m7", "cortex-m55"].map((target) => ({ backend: "portable" as const, target })),
  ...["cortex-m4", "cortex-m7", "cortex-m33"].map((target) => ({ backend: "dsp" as const, target })),
];

/** The built command line (dist/: `npm run build` first), run with node; it never rejects. */
export const CLI = join(ROOT, "dist", "cli", "main.js");
export const tinyc = (...args: string[]) => execa("node", [CLI, ...args], { reject: false });

/** The TinycError a promise rejects with (anything else is rethrown; fulfilment is an error). */
export async function tinycError(p: Promise<unknown>): Promise<TinycError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TinycError) return e;
    throw e;
  }
  throw new Error("expected a TinycError");
}

/** Why a CMSIS-NN test skips, and the one placeholder row its describe.each gets when no tree is given. */
export const NO_CMSIS_NN_TREE = "no CMSIS-NN tree: set CMSIS_NN_ROOT (or CMSIS_NN_ROOTS=dir1:dir2) to a CMSIS-NN v7.0.0 or 4ab83cc3 checkout (see README)";
export const NO_CMSIS_NN_TREE_FOUND = "(no tree found)";

export interface RealModel {
  readonly name: string;
  readonly file: string;
  readonly repository: string;
  readonly readFrom?: string;
  readonly path: string;
  readonly commit: string;
  readonly licence: string;
  readonly sha256: string;
  /** What TFLM's interpreter says when it refuses the model (tinyc compiles it). */
  readonly tflmRefuses?: string;
}

/** test/real-models.json: public real models, where each comes from and its sha256 (the files stay under TINYC_REAL_MODELS). */
export const REAL_MODEL_MANIFEST = JSON.parse(readFileSync(join(ROOT, "test", "real-models.json"), "utf8")) as { models: RealModel[] };
