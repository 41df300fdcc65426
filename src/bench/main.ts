/**
 * npm run bench: tinyc's figures beside TensorFlow Lite Micro's
 * (../shared/baselines/tflm-qemu.json) for every model in ../shared/models:
 * arena bytes, lower bound, TFLM's arena and the ratio, model and firmware
 * flash, instructions per inference in QEMU (SysTick under -icount shift=0),
 * and compile time, for the portable kernels (Cortex-M3, M4, M7, M55) and the
 * dsp kernels (M4, M7, M33, M55), with instructions per MAC by op kind. CMSIS-NN
 * rows appear for each tree in CMSIS_NN_ROOT / CMSIS_NN_ROOTS. Instruction
 * counts, never wall time, for generated code.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { legalizePrepared } from "../compiler/passes/legalize.js";
import { lower } from "../lower/lower.js";
import { boundsText, planMemory, scheduleOps } from "../memplan/plan.js";
import { loadTarget } from "../targets.js";
import { randomNetwork } from "./random_net.js";
import { bytes, formatFit } from "../cli/format.js";
import { fitSearch, zooSummary } from "../zoo/fit.js";
import { buildZoo, FAMILIES } from "../zoo/index.js";
import { compile, type CompileOptions, type CompiledModel } from "../compile.js";
import type { Graph } from "../compiler/ir.js";
import { MEMORY_OPTIONS, type MemoryOption } from "../memory_options.js";
import { resolveCmsisNn } from "../kernels/cmsis_nn/tree.js";
import { hasToolchain } from "../emulator/toolchain.js";
import { packageRoot } from "../paths.js";
import { modelInputs, runCompiled, type RunReport } from "../run.js";
import { opModule } from "../compiler/ops/index.js";
import { tflmCycles, type TflmKernels } from "./tflm_cycles.js";

interface Baseline {
  models: Record<string, {
    instructions: Record<string, Record<string, number>>;
    arenaUsedBytes: { cmsisNn: number; reference: number };
    flashBytes: { total: number };
  }>;
}

const shared = resolve(packageRoot(), "..", "shared");
const modelsDir = process.env.TINYC_MODELS_DIR ?? join(shared, "models");
const baselinePath = join(shared, "baselines", "tflm-qemu.json");
const baseline: Baseline | undefined = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, "utf8")) : undefined;
const emulator = hasToolchain();
const cmsisTrees = [process.env.CMSIS_NN_ROOT, ...(process.env.CMSIS_NN_ROOTS ?? "").split(":")]
  .filter((r): r is string => Boolean(r) && existsSync(join(r!, "Include", "arm_nnfunctions.h")))
  .filter((r, i, a) => a.indexOf(r) === i);

const out = (s = "") => process.stdout.write(`${s}\n`);
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(2)}%`;

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (typeof c === "number" ? bytes(c) : c).padStart(widths[i]!)).join("  ");
}

async function main(): Promise<void> {
  const models = readdirSync(modelsDir).filter((f) => f.endsWith(".tflite")).sort();
  out(`tinyc bench — models in ${modelsDir}; baseline ${baseline ? baselinePath : "(none found)"}`);
  if (!emulator) out("arm-none-eabi-gcc / qemu-system-arm not found: instruction counts and measured flash are skipped");
  if (cmsisTrees.length === 0) out("no CMSIS-NN tree (CMSIS_NN_ROOT / CMSIS_NN_ROOTS): cmsis-nn rows are skipped");
  for (const file of models) {
    const name = file.replace(/\.tflite$/, "");
    const tflm = baseline?.models[name];
    out(`\n== ${name}`);
    const started = performance.now();
    const portable = compile(join(modelsDir, file), { target: "cortex-m4", backend: "portable" });
    const compileMs = performance.now() - started;
    const arena = portable.plan.arenaBytes;
    out(`compile time        ${compileMs.toFixed(0)} ms (read, legalize, prepare, plan, emit C)`);
    out(`arena (portable)    ${bytes(arena)} bytes with every memory option (gap ${bytes(arena - portable.plan.boundBytes)}); ${boundsText(portable.plan, bytes)}`);
    if (tflm) {
      out(`TFLM arena          ${bytes(tflm.arenaUsedBytes.cmsisNn)} bytes with CMSIS-NN, ${bytes(tflm.arenaUsedBytes.reference)} with reference kernels`);
      out(`tinyc / TFLM arena  ${pct(arena, tflm.arenaUsedBytes.reference)} (portable vs reference)`);
    }
    if (!emulator) continue;
    const widths = [22, 10, 12, 12, 12, 8, 12, 12, 8, 11, 10, 8, 6];
    out(row(["config", "arena", "instructions", "est. cycles", "TFLM instr.", "ratio", "TFLM cycles", "source", "ratio", "model flash", "fw flash", "RAM", "exact"], widths));
    const configs: { label: string; c: () => CompiledModel; tflmKey: string }[] = [];
    for (const target of ["cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]) {
      configs.push({ label: `portable ${target}`, c: () => (target === "cortex-m4" ? portable : compile(join(modelsDir, file), { target, backend: "portable" })), tflmKey: `${target}:reference` });
    }
    // tinyc's DSP kernels against TFLM with CMSIS-NN (the same core's figure; none recorded for M33).
    for (const target of ["cortex-m4", "cortex-m7", "cortex-m33", "cortex-m55"]) {
      configs.push({ label: `dsp ${target}`, c: () => compile(join(modelsDir, file), { target, backend: "dsp" }), tflmKey: `${target}:cmsisNn` });
    }
    for (const root of cmsisTrees) {
      const v = resolveCmsisNn(root).version;
      for (const target of ["cortex-m4", "cortex-m7", "cortex-m55"]) {
        configs.push({ label: `cmsis-nn ${v} ${target.replace("cortex-", "")}`, c: () => compile(join(modelsDir, file), { target, backend: "cmsis-nn", cmsisNn: root }), tflmKey: `${target}:cmsisNn` });
      }
    }
    const perKind: { label: string; kinds: Map<string, KindFigures> }[] = [];
    const tflmKinds: { label: string; kinds: Map<string, KindFigures> }[] = [];
    const totals = new Map<string, number>();
    for (const cfg of configs) {
      const c = cfg.c();
      const r = await runCompiled(c);
      const [target, key] = cfg.tflmKey.split(":") as [string, string];
      const ref = tflm?.instructions[target]?.[key];
      const kernels: TflmKernels = key === "cmsisNn" ? "cmsis-nn" : "reference";
      const refCycles = await tflmCycles(join(modelsDir, file), inputOf(c), target, kernels);
      if (refCycles && !tflmKinds.some((t) => t.label === tflmLabel(kernels, target))) tflmKinds.push({ label: tflmLabel(kernels, target), kinds: tflmFigures(c, refCycles.byKind) });
      const cycles = r.cycles?.cycles;
      out(row([
        cfg.label, r.arenaBytes, r.instructions, cycles ?? "-", ref ?? "-", ref ? pct(r.instructions, ref) : "-",
        refCycles?.cycles ?? "-", refCycles?.source ?? "-", refCycles && cycles ? pct(cycles, refCycles.cycles) : "-",
        r.modelFlashBytes, r.firmwareFlashBytes, r.ramBytes, r.matches ? "yes" : "NO",
      ], widths));
      perKind.push({ label: cfg.label, kinds: figuresByKind(c, r) });
      if (cycles !== undefined) totals.set(cfg.label, cycles);
    }
    if (tflm) out(`TFLM flash (whole firmware, CMSIS-NN build): ${bytes(tflm.flashBytes.total)} bytes`);
    printPerKind(perKind, "instructions");
    printPerKind([...perKind, ...tflmKinds], "cycles");
    publishedComparison(name, totals);
  }
  plannerBench(models.map((f) => join(modelsDir, f)));
  if (emulator) await streamBench(models.map((f) => join(modelsDir, f)));
  if (emulator) await zooBench();
  await fitTables();
  out("\ninstructions: one inference after a warm-up, counted by SysTick under qemu -icount shift=0 (to within one tick: 40 instructions on mps2 AN385/386/500, 50 on AN505, 31.25 on mps3)");
  out("est. cycles: the same inference under tinyc's cycle model (a QEMU plugin charging every executed instruction from timing/<core>.json; zero wait states); Cortex-M3 has no model");
}

/**
 * Instructions and MACs summed over the ops of each kind (requantization
 * included: it is part of each op). The ops of row-streamed segments run
 * interleaved and are counted together, as "streamed segments".
 */
function figuresByKind(c: CompiledModel, r: RunReport): Map<string, KindFigures> {
  const byIndex = new Map(c.graph.nodes.map((n) => [n.index, n]));
  const streamed = new Set(c.plan.segments.flatMap((s) => s.ops));
  const kinds = new Map<string, KindFigures>();
  for (const l of r.layers) {
    const node = byIndex.get(l.op)!;
    const kind = streamed.has(l.op) ? "streamed segments" : l.kind;
    const k = kinds.get(kind) ?? { macs: 0, instructions: 0 };
    k.macs += opModule(node).macs(node, c.graph);
    k.instructions += l.instructions;
    if (l.cycles !== undefined) k.cycles = (k.cycles ?? 0) + l.cycles;
    kinds.set(kind, k);
  }
  return kinds;
}

const TFLM_KERNELS_LABEL: Readonly<Record<TflmKernels, string>> = { "cmsis-nn": "TFLM+CMSIS-NN", reference: "TFLM ref" };
const tflmLabel = (kernels: TflmKernels, core: string) => `${TFLM_KERNELS_LABEL[kernels]} ${core.replace("cortex-", "")}`;

/** The model's default bench input (xorshift seed k + 1 for input k), all inputs concatenated. */
function inputOf(c: CompiledModel): Uint8Array {
  return Uint8Array.from(modelInputs(c, undefined).flatMap((b) => [...b]));
}

/** TFLM's cycles per op kind beside the MACs of tinyc's ops of that kind (no segments: TFLM runs every op whole). */
function tflmFigures(c: CompiledModel, byKind: Readonly<Record<string, number>>): Map<string, KindFigures> {
  const kinds = new Map<string, KindFigures>();
  for (const node of c.graph.nodes) {
    const k = kinds.get(node.kind) ?? { macs: 0, instructions: 0, cycles: byKind[node.kind] ?? 0 };
    k.macs += opModule(node).macs(node, c.graph);
    kinds.set(node.kind, k);
  }
  return kinds;
}

interface KindFigures {
  macs: number;
  instructions: number;
  /** Estimated cycles, where the core has a cycle model. */
  cycles?: number;
}

/** One row per op kind: its MACs and share, then each configuration's instructions (or estimated cycles) per MAC, or per element. */
function printPerKind(configs: readonly { label: string; kinds: Map<string, KindFigures> }[], what: "instructions" | "cycles"): void {
  if (configs.length === 0) return;
  // Every kind any configuration has (segments differ by backend), MACs from the first that has it.
  const first = new Map<string, KindFigures>();
  for (const c of configs) for (const [kind, k] of c.kinds) if (!first.has(kind)) first.set(kind, k);
  const total = [...configs[0]!.kinds.values()].reduce((a, k) => a + k.macs, 0) || 1;
  out(what === "instructions"
    ? "instructions per MAC by op kind (per output element for ops without MACs: data movement counts elements)"
    : "estimated cycles per MAC by op kind (zero wait states; '-' where the core has no cycle model)");
  const widths = [20, 12, 6, ...configs.map((c) => Math.max(10, c.label.length))];
  out(row(["op kind", "MACs", "share", ...configs.map((c) => c.label)], widths));
  for (const [kind, k] of [...first].sort((a, b) => b[1].macs - a[1].macs)) {
    const cells = configs.map((c) => {
      const x = c.kinds.get(kind), n = x?.[what];
      return x && n !== undefined ? (x.macs > 0 ? (n / x.macs).toFixed(2) : `${bytes(n)} ${what === "cycles" ? "cyc." : "instr."}`) : "-";
    });
    out(row([kind, k.macs, `${((100 * k.macs) / total).toFixed(0)}%`, ...cells], widths));
  }
}

/**
 * Published measurements of the same model file, beside tinyc's estimate on
 * the same core: STM32Cube.AI in MLPerf Tiny (cycles = ms x clock). The
 * boards ran from flash with wait states behind ST's ART accelerator and
 * caches; tinyc's figure assumes zero-wait-state memory.
 */
function publishedComparison(model: string, cycles: ReadonlyMap<string, number>): void {
  const published = PUBLISHED.filter((p) => p.model === model);
  if (published.length === 0) return;
  out("published figures for this model (cycles = time x clock) beside tinyc dsp's estimate on the same core");
  for (const p of published) {
    const mine = cycles.get(`dsp ${p.core}`), theirs = Math.round(p.ms * p.mhz * 1000);
    out(`  ${p.who}: ${p.ms} ms at ${p.mhz} MHz = ${bytes(theirs)} cycles (${p.conditions}); tinyc dsp ${p.core}: ${mine ? `${bytes(mine)} estimated, ${(mine / theirs).toFixed(2)}x` : "-"} (zero wait states)`);
  }
}

const PUBLISHED = [
  { model: "vww_96_int8", core: "cortex-m4", who: "STM32Cube.AI 10.2, MLPerf Tiny v1.3, NUCLEO-L4R5ZI", ms: 89.44, mhz: 120, conditions: "5 flash wait states with the ART accelerator and caches on" },
  { model: "vww_96_int8", core: "cortex-m33", who: "STM32Cube.AI 10.2, MLPerf Tiny v1.3, NUCLEO-U575ZI-Q", ms: 59.27, mhz: 160, conditions: "4 flash wait states with the instruction cache on" },
  { model: "vww_96_int8", core: "cortex-m7", who: "STM32Cube.AI 9.0, MLPerf Tiny v1.2, NUCLEO-H7A3ZI-Q", ms: 23.8, mhz: 280, conditions: "caches on" },
  { model: "vww_96_int8", core: "cortex-m4", who: "microTVM + CMSIS-NN, MLPerf Tiny v1.0, NUCLEO-L4R5ZI", ms: 301.2, mhz: 120, conditions: "5 flash wait states, ART on" },
] as const;

/**
 * Arena for every model: whole buffers placed greedily (TFLM's method) and
 * exactly, the layer-wise bound, the overlap bound, the arena with every memory
 * option, and TFLM's own arena.
 */
function plannerBench(modelFiles: readonly string[]): void {
  out("\n== memory planner (cortex-m4 unless it says m55; arena bytes)");
  out("whole buffers: greedy (TFLM's method) and exact placement vs the layer-wise bound; no stream: overlaps, in-place ops, reordering vs the overlap bound; every option: row streaming too, vs the streamed bound");
  const widths = [36, 9, 9, 11, 10, 10, 10, 10, 8, 11, 10];
  out(row(["model / backend", "greedy", "exact", "layer bnd", "no stream", "ovl bound", "every opt", "strm bnd", "optimal", "TFLM arena", "vs TFLM"], widths));
  const cases: [string, (disable: readonly MemoryOption[]) => CompiledModel, number | undefined][] = [];
  for (const file of modelFiles) {
    const name = basename(file).replace(/\.tflite$/, "");
    const tflm = baseline?.models[name]?.arenaUsedBytes;
    cases.push([`${name} portable`, (disable) => compile(file, { target: "cortex-m4", backend: "portable", disable }), tflm?.reference]);
    cases.push([`${name} dsp`, (disable) => compile(file, { target: "cortex-m4", backend: "dsp", disable }), tflm?.cmsisNn]);
    cases.push([`${name} cmsis-nn m4`, (disable) => compile(file, { target: "cortex-m4", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0", disable }), tflm?.cmsisNn]);
    cases.push([`${name} cmsis-nn m55`, (disable) => compile(file, { target: "cortex-m55", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0", disable }), tflm?.cmsisNn]);
  }
  for (const f of FAMILIES) {
    const g = buildZoo(f.name, { calibrate: false });
    cases.push([`zoo ${f.name} portable`, (disable) => compile(g, { target: "cortex-m4", backend: "portable", disable }), undefined]);
    cases.push([`zoo ${f.name} dsp`, (disable) => compile(g, { target: "cortex-m4", backend: "dsp", disable }), undefined]);
    cases.push([`zoo ${f.name} cmsis-nn m4`, (disable) => compile(g, { target: "cortex-m4", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0", disable }), undefined]);
    cases.push([`zoo ${f.name} cmsis-nn m55`, (disable) => compile(g, { target: "cortex-m55", backend: "cmsis-nn", cmsisNnVersion: "v7.0.0", disable }), undefined]);
  }
  for (const [label, make, tflm] of cases) {
    const whole = make(MEMORY_OPTIONS).plan, unstreamed = make(["stream"]).plan, every = make([]).plan;
    out(row([
      label, whole.greedyArenaBytes, whole.arenaBytes, whole.lowerBoundBytes, unstreamed.arenaBytes, every.overlapBoundBytes ?? "-", every.arenaBytes, every.streamBoundBytes ?? "-",
      every.optimal ? "yes" : "no", tflm ?? "-", tflm ? pct(every.arenaBytes, tflm) : "-",
    ], widths));
  }
  // A 1,000-op random network (convolutions, residual ADDs, parallel branches): reordering, analysis and placement.
  const net = legalizePrepared(randomNetwork(1000, 1000));
  const target = loadTarget("cortex-m4");
  for (const disable of [MEMORY_OPTIONS, []] as const) {
    const started = performance.now();
    const schedule = scheduleOps(lower(net, "portable", target).lowered, disable);
    const plan = planMemory(schedule.lowered, { disable });
    const ms = performance.now() - started;
    out(`1,000-op random network, ${disable.length ? "whole buffers" : "every option"}: arena ${bytes(plan.arenaBytes)} bytes (bound ${bytes(plan.boundBytes)}, greedy ${bytes(plan.greedyArenaBytes)}${schedule.reordered ? `, reordered: ${bytes(schedule.search!.peakBefore)} → ${bytes(schedule.search!.peakAfter)}` : ""}), lowered and planned in ${ms.toFixed(0)} ms`);
  }
}

/**
 * Row streaming on the Cortex-M4: for the shared models and the zoo's
 * isometric and MobileNetV2 defaults, with each tinyc family, the arena,
 * RAM and instructions held whole (--disable stream), streamed (the default)
 * and with the input streamed too (--stream-input), and the instruction
 * overhead against the unstreamed run.
 */
async function streamBench(modelFiles: readonly string[]): Promise<void> {
  out("\n== row streaming (cortex-m4; overhead: instructions against --disable stream, same backend; estimated: the planner's, bound 5 %)");
  const widths = [34, 10, 10, 14, 10, 10, 8, 8];
  out(row(["model / backend / plan", "arena", "RAM", "instructions", "overhead", "estimated", "bands", "exact"], widths));
  const models: [string, string | Graph][] = [
    ...modelFiles.map((f): [string, string] => [basename(f).replace(/\.tflite$/, ""), f]),
    ["zoo isometric", buildZoo("isometric")], ["zoo mobilenet-v2", buildZoo("mobilenet-v2")],
  ];
  for (const [name, model] of models) {
    for (const backend of ["portable", "dsp"] as const) {
      const plans: [string, CompileOptions][] = [["unstreamed", { disable: ["stream"] }], ["streamed", {}], ["input streamed", { streamInput: true }]];
      let base: number | undefined;
      for (const [label, options] of plans) {
        let c: CompiledModel;
        try {
          c = compile(model, { target: "cortex-m4", backend, ...options });
        } catch (e) {
          out(row([`${name} ${backend} ${label}`, "-", "-", "-", "-", "-", "-", "-"], widths) + `  (${e instanceof Error ? e.message.split("\n")[0] : e})`);
          continue;
        }
        const r = await runCompiled(c);
        base ??= r.instructions;
        const cost = c.plan.streamCost, heights = c.plan.segments.map((seg) => seg.schedule.bandRows);
        const bands = heights.length === 0 ? "-" : Math.min(...heights) === Math.max(...heights) ? `${heights[0]}` : `${Math.min(...heights)}–${Math.max(...heights)}`;
        const estimated = cost ? pct(cost.overheadInstructions, cost.modelInstructions) : "-";
        out(row([`${name} ${backend} ${label}`, r.arenaBytes, r.ramBytes, r.instructions, pct(r.instructions - base, base), estimated, bands, r.matches && r.layers.every((l) => l.matches) ? "yes" : "NO"], widths));
      }
    }
  }
}

/** Each zoo family's default: size, arena, and instructions per inference (portable, and cmsis-nn per tree). */
async function zooBench(): Promise<void> {
  out("\n== zoo defaults (96x96x3, 2 classes)");
  const widths = [22, 12, 10, 10, 14, 12, 14, 8];
  out(row(["model / config", "MACs", "params", "arena", "instructions", "model flash", "vs cmsis-nn", "exact"], widths));
  for (const f of FAMILIES) {
    const g = buildZoo(f.name);
    const { macs, params } = zooSummary(g);
    out(`${f.name}: ${g.name}`);
    const configs: [string, () => CompiledModel][] = [
      ["portable m4", () => compile(g, { target: "cortex-m4", backend: "portable" })],
      ["dsp m4", () => compile(g, { target: "cortex-m4", backend: "dsp" })],
      ["portable m55", () => compile(g, { target: "cortex-m55", backend: "portable" })],
      ["dsp m55", () => compile(g, { target: "cortex-m55", backend: "dsp" })],
      ...cmsisTrees.flatMap((root): [string, () => CompiledModel][] => {
        const v = resolveCmsisNn(root).version;
        return [[`cmsis-nn ${v} m4`, () => compile(g, { target: "cortex-m4", backend: "cmsis-nn", cmsisNn: root })], [`cmsis-nn ${v} m55`, () => compile(g, { target: "cortex-m55", backend: "cmsis-nn", cmsisNn: root })]];
      }),
    ];
    const runs: { label: string; r: RunReport; c: CompiledModel }[] = [];
    for (const [label, make] of configs) {
      const c = make();
      runs.push({ label, r: await runCompiled(c), c });
    }
    // Each configuration beside the cmsis-nn backend's instructions on the same core.
    const cmsisOn = (core: string) => runs.find((x) => x.label.startsWith("cmsis-nn") && x.label.endsWith(core))?.r.instructions;
    for (const { label, r } of runs) {
      const ref = cmsisOn(label.split(" ").at(-1)!);
      out(row([label, macs, params, r.arenaBytes, r.instructions, r.modelFlashBytes, ref ? (r.instructions / ref).toFixed(3) : "-", r.matches ? "yes" : "NO"], widths));
    }
    const kinds = runs.map(({ label, r, c }) => ({ label, kinds: figuresByKind(c, r) }));
    printPerKind(kinds, "instructions");
    printPerKind(kinds, "cycles");
  }
}

/** tinyc zoo FAMILY --fit at the VWW budget, for every family, with row streaming and without. */
async function fitTables(): Promise<void> {
  for (const f of FAMILIES) {
    for (const disable of [[], ["stream"]] as const) {
      out(`\n== fit: ${f.name} at 250 KB RAM / 250 KB flash (cortex-m4, default backend${disable.length ? ", --disable stream" : ", streamed"})`);
      const report = await fitSearch(f, { ram: 250 * 1024, flash: 250 * 1024, target: "cortex-m4", channels: 3, disable });
      out(formatFit(report).trimEnd());
    }
  }
}

await main();
