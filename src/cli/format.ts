/** Human-readable tables for the CLI. The library returns data; this file only formats it. */
import { formatHz, type CheckReport } from "../budget.js";
import type { ImageInput } from "../inputs.js";
import type { RunReport } from "../run.js";
import type { ClassScore } from "./run_input.js";
import type { PlanReport } from "../reports/report.js";
import type { AnalyzeReport } from "../reports/analyze.js";

export function bytes(n: number): string {
  return n.toLocaleString("en-US");
}

function table(rows: (string | number)[][], align: ("l" | "r")[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === "number" ? bytes(c) : c)));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (align[i] === "r" ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

export function shortName(name: string, max = 48): string {
  const last = name.split(";").pop() ?? name;
  return last.length > max ? `…${last.slice(-(max - 1))}` : last;
}


/** What streaming adds to the model's instructions, estimated, and the bound. */
export function streamOverheadText(c: NonNullable<PlanReport["streamCost"]>): string {
  const pct = (x: number) => `${Number((100 * x).toFixed(2))} %`;
  const share = (x: number) => pct(x / Math.max(1, c.modelInstructions));
  const bounded = c.inputInstructions > 0
    ? `; beyond the streamed input's own row calls (${bytes(c.inputInstructions)}), ${share(c.overheadInstructions - c.inputInstructions)} against a bound of ${pct(c.overheadBound)}`
    : ` against a bound of ${pct(c.overheadBound)}`;
  return `streaming adds about ${bytes(c.overheadInstructions)} instructions, ${share(c.overheadInstructions)} of the model's ${bytes(c.modelInstructions)}${bounded} (estimates; --stream-overhead sets the bound; measure with tinyc run, with and without --disable stream)`;
}

export function formatPlan(r: PlanReport, verbose: boolean): string {
  const head = [
    `model        ${r.model}`,
    `target       ${r.target} (${r.backend} backend), placement ${r.algorithm}, ${r.align}-byte alignment`,
    `arena        ${bytes(r.arenaBytes)} bytes${r.optimal ? " (proven minimal for this schedule)" : ""}; greedy by size (largest first) of the same buffers would need ${bytes(r.greedyArenaBytes)}`,
    r.streamBoundBytes !== undefined
      ? `lower bound  ${bytes(r.streamBoundBytes)} bytes streamed (gap ${bytes(r.gapBytes)} bytes); ${r.overlapBoundBytes === undefined ? "" : `${bytes(r.overlapBoundBytes)} with overlaps, `}${bytes(r.lowerBoundBytes)} layer-wise (whole buffers)`
      : r.overlapBoundBytes === undefined
        ? `lower bound  ${bytes(r.lowerBoundBytes)} bytes (layer-wise; gap ${bytes(r.gapBytes)} bytes)`
        : `lower bound  ${bytes(r.overlapBoundBytes)} bytes with overlaps (gap ${bytes(r.gapBytes)} bytes); ${bytes(r.lowerBoundBytes)} layer-wise (whole buffers)`,
    `options      ${r.options.length ? r.options.join(", ") : "none"}; ${r.overlaps.filter((o) => o.sharedBytes > 0).length} of ${r.overlaps.length} ops that may write over their input do`,
    ...(r.schedule.reordered ? [`schedule     reordered: bound ${bytes(r.schedule.peakBeforeBytes!)} → ${bytes(r.schedule.peakAfterBytes!)} bytes${r.schedule.exhaustive ? " (best order)" : " (greedy order)"}`] : []),
    ...(r.noRowStreaming ? [`streaming    ${r.segments.length > 0 ? "partly" : "none"}: ${r.noRowStreaming}`] : []),
    ...(r.streamCost && r.segments.length > 0 ? [`overhead     ${streamOverheadText(r.streamCost)}`] : []),
    ...r.segments.map((seg, i) => `${i === 0 ? "streamed    " : "            "} ops ${seg.ops.join(", ")} in bands of ${seg.bandRows} row${seg.bandRows === 1 ? "" : "s"} (${seg.calls} kernel calls instead of ${seg.ops.length}, about ${bytes(seg.overheadInstructions)} instructions more); rings: ${[
      ...(seg.inputRing ? [`the input (streamed) ${seg.inputRing.rows} rows (${bytes(seg.inputRing.bytes)} bytes)`] : []),
      ...seg.rings.map((g) => `op ${g.op} ${g.rows} rows (${bytes(g.bytes)} bytes)`),
    ].join(", ") || "none"}`),
    ...r.passes.map((n, i) => `${i === 0 ? "passes      " : "            "} ${n.pass}: op ${n.op} ${n.kind} ${n.message}`),
    `peak         op ${r.peakOp}`,
    "",
  ];
  const rows: (string | number)[][] = [["op", "kind", "live bytes", "with overlap", "scratch", "live tensors"]];
  const reverse = new Set(r.overlaps.filter((o) => o.direction === "reverse").map((o) => o.op));
  const streamed = new Set(r.segments.flatMap((seg) => seg.ops));
  for (const o of r.ops) {
    const live = o.live.map((l) => `${shortName(l.tensor, verbose ? 80 : 28)}@${l.offset}`).join(", ");
    rows.push([String(o.op), o.kind + (reverse.has(o.op) ? " (reverse)" : "") + (streamed.has(o.op) ? " (streamed)" : ""), o.liveBytes, o.overlapLiveBytes, o.scratchBytes, live]);
  }
  return head.join("\n") + table(rows, ["r", "l", "r", "r", "r", "l"]) + "\n";
}

/** Up to 16 values of an output, and how many there are. */
function preview(v: ArrayLike<number>): string {
  const shown = Array.from({ length: Math.min(16, v.length) }, (_, i) => v[i]!);
  return `[${shown.join(", ")}${v.length > 16 ? `, … (${v.length} values)` : ""}]`;
}

/** The per-op table of `run --layers`; a streamed segment's instructions show in its last op. */
function layersText(r: RunReport): string {
  const withCycles = r.cycles !== undefined;
  const rows: (string | number)[][] = [["op", "kind", "kernel", "streamed", "instructions", ...(withCycles ? ["est. cycles"] : []), "output"]];
  const partly = (l: RunReport["layers"][number]) => (l.rows ? ` (rows 0..${l.rows.computed - 1} of ${l.rows.of}: no op reads the rest)` : "");
  const span = (ops: readonly number[]) => (ops.every((op, k) => k === 0 || op === ops[k - 1]! + 1) ? `ops ${ops[0]}-${ops.at(-1)}` : `ops ${ops.join(",")}`);
  for (const l of r.layers) {
    const last = l.segment?.at(-1);
    const instructions = !r.measured ? "-" : last !== undefined && last !== l.op ? `in op ${last}` : l.instructions;
    const cycles = last !== undefined && last !== l.op ? `in op ${last}` : l.cycles ?? "-";
    rows.push([String(l.op), l.kind, l.segment ? l.kernel.replace(/ \(streamed\)$/, "") : l.kernel, l.segment ? span(l.segment) : "", instructions, ...(withCycles ? [cycles] : []), (l.matches ? "= reference" : "DIFFERS") + partly(l)]);
  }
  const note = r.layers.some((l) => l.segment)
    ? "\nstreamed: a segment's ops run row by row, interleaved, so all its instructions are counted in its last op (the others say \"in op N\")"
    : "";
  return table(rows, ["r", "l", "l", "l", "r", ...(withCycles ? ["r" as const] : []), "l"]) + note;
}

/** How `--image` mapped its pixels, and the other mappings (printed on stderr: the model cannot tell which is right). */
export function imageNote(image: ImageInput, defaulted: boolean): string {
  const others = Object.entries(image.otherMappings).map(([mode, mapping]) => `--pixels ${mode} gives ${mapping}`).join("; ");
  return `image: ${image.file}, ${image.width}x${image.height}, pixels ${image.pixels}${defaulted ? " (the default)" : ""}: ${image.mapping}\n` +
    `       a model's quantization does not say which mapping it was trained with; ${others}\n`;
}

/** Class names beside their scores, highest first (the first 5 of a longer output). */
function classesText(classes: readonly ClassScore[], outputs: number): string {
  const top = [...classes].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, 5);
  const which = outputs > 1 ? " (output 0)" : "";
  const head = classes.length > top.length ? `top ${top.length} of ${bytes(classes.length)}${which}: ` : which ? `${which.trim()}: ` : "";
  return `classes          ${head}${top.map((c) => `${c.label} ${c.score}`).join(", ")}`;
}

function cyclesText(e: NonNullable<RunReport["cycles"]>): string {
  const ms = e.milliseconds >= 100 ? e.milliseconds.toFixed(1) : e.milliseconds.toPrecision(3);
  const ws = e.flashWaitStates === 0 ? "zero wait states" : `${e.flashWaitStates} flash wait states`;
  return `cycles           ${bytes(e.cycles)} estimated per inference = ${ms} ms at ${formatHz(e.clockHz)} (${ws}; ${e.model})`;
}

export function formatRun(r: RunReport, withLayers: boolean, classes?: readonly ClassScore[]): string {
  const lines = [
    `model            ${r.model}`,
    `target           ${r.target} (${r.backend} backend)`,
    ...(r.backendNote ? [`note             ${r.backendNote}`] : []),
    ...r.outputs.map((out, k) => {
      const same = Buffer.compare(Buffer.from(out.buffer, out.byteOffset, out.byteLength), Buffer.from(r.references[k]!.buffer, r.references[k]!.byteOffset, r.references[k]!.byteLength)) === 0;
      const label = r.outputs.length === 1 ? "output          " : `output ${k}`.padEnd(16);
      return `${label} ${preview(out)} ${same ? "= reference (bit-exact)" : `!= reference ${preview(r.references[k]!)}`}`;
    }),
    ...(classes ? [classesText(classes, r.outputs.length)] : []),
    r.measured ? `instructions     ${bytes(r.instructions)} per inference` : "instructions     not counted (--target host runs natively; choose an emulated target to count)",
    ...(r.cycles ? [cyclesText(r.cycles)] : r.measured ? ["cycles           not estimated: tinyc has no cycle model of this core"] : []),
    `arena            ${bytes(r.arenaBytes)} bytes (bound ${bytes(r.boundBytes)}${r.boundKind !== "layer-wise" ? ` ${r.boundKind}, ${bytes(r.lowerBoundBytes)} layer-wise` : ""})`,
    ...(r.measured ? [
      `RAM              ${bytes(r.ramBytes)} bytes (arena + ${bytes(r.otherStaticRamBytes)} static + ${bytes(r.stackHighWaterBytes)} stack high-water)`,
      `model flash      ${bytes(r.modelFlashBytes)} bytes`,
      `firmware flash   ${bytes(r.firmwareFlashBytes)} bytes (with harness and C library)`,
    ] : []),
  ];
  if (r.firstMismatchOp !== undefined) lines.push(`first differing op  ${r.firstMismatchOp} (${r.layers.find((l) => l.op === r.firstMismatchOp)?.kind})`);
  if (withLayers) lines.push("", layersText(r));
  return lines.join("\n") + "\n";
}

function latencyText(l: NonNullable<CheckReport["latency"]>): string {
  const ms = (x: number) => Number(x.toFixed(3)).toString();
  const ws = l.flashWaitStates === 0 ? "zero wait states" : `${l.flashWaitStates} flash wait states`;
  const slowest = l.slowest.map((o) => `op ${o.op} ${o.kind} ${bytes(o.cycles)}`).join(", ");
  return `latency  ${ms(l.milliseconds)} ms estimated (${bytes(l.cycles)} cycles at ${formatHz(l.clockHz)}, ${ws}) against ${ms(l.budgetMs)} ms: ${l.overMs > 0 ? `OVER by ${ms(l.overMs)} ms` : "fits"}; slowest ops ${slowest}`;
}

export function formatCheck(r: CheckReport): string {
  const verdict = (over: number, budget: number) => (over > 0 ? `OVER by ${bytes(over)} bytes` : Number.isFinite(budget) ? `fits (${bytes(budget)} budget)` : "no budget given");
  const budget = (b: number) => (Number.isFinite(b) ? b : "-");
  const rows: (string | number)[][] = [["", "bytes", "budget", "verdict"]];
  rows.push(["RAM", r.ramBytes, budget(r.ramBudgetBytes), verdict(r.ramOverBytes, r.ramBudgetBytes)]);
  for (const p of r.ramParts) rows.push([`  ${p.name}`, p.bytes, "", ""]);
  rows.push(["flash", r.flashBytes, budget(r.flashBudgetBytes), verdict(r.flashOverBytes, r.flashBudgetBytes)]);
  for (const p of r.flashParts) rows.push([`  ${p.name}`, p.bytes, "", ""]);
  const lines = [
    `${r.model} on ${r.target} (${r.backend})${r.measured ? "" : " — estimated: arm-none-eabi-gcc/qemu-system-arm not found"}`,
    table(rows, ["l", "r", "r", "l"]),
  ];
  const dominant = (parts: readonly { name: string; bytes: number }[]) => [...parts].sort((a, b) => b.bytes - a.bytes)[0]!;
  if (r.ramOverBytes > 0) lines.push(`RAM does not fit: over by ${bytes(r.ramOverBytes)} bytes; ${dominant(r.ramParts).name} dominates with ${bytes(dominant(r.ramParts).bytes)} bytes.`);
  if (r.flashOverBytes > 0) lines.push(`Flash does not fit: over by ${bytes(r.flashOverBytes)} bytes; ${dominant(r.flashParts).name} dominate with ${bytes(dominant(r.flashParts).bytes)} bytes.`);
  if (r.latency) lines.push(latencyText(r.latency));
  lines.push(r.fits ? "FITS" : "DOES NOT FIT");
  return lines.join("\n") + "\n";
}

export function formatFit(r: import("../zoo/fit.js").FitReport): string {
  const rows: (string | number)[][] = [["config", "MACs", "params", "arena", "RAM", "model flash", "fits"]];
  for (const x of r.rows) {
    const c = x.config;
    rows.push([`width ${c.width} res ${c.resolution}${c.depth ? ` depth ${c.depth}` : ""}`, x.macs, x.params, x.arenaBytes, x.ramBytes, x.modelFlashBytes, (x.fits ? "yes" : "no") + (x.measured ? "" : " *")]);
  }
  const best = r.best ? `largest that fits: ${r.best.model} (${bytes(r.best.macs)} MACs)` : "no configuration fits";
  const measured = r.rows.every((x) => x.measured) ? "" : "\n* estimated: the toolchain is missing, or the model does not fit the target part at all";
  return `${r.family} on ${r.target}, budget RAM ${bytes(r.ramBudgetBytes)} / flash ${bytes(r.flashBudgetBytes)} bytes (RAM: arena + static + 1 KiB stack estimate)\n${table(rows, ["l", "r", "r", "r", "r", "r", "l"])}${measured}\n${best}\n`;
}

/** `tinyc analyze`: one row per op, then the totals and the peak. */
export function formatAnalyze(r: AnalyzeReport): string {
  const measured = r.totals.measuredInstructions !== undefined, cycles = r.totals.estimatedCycles !== undefined;
  const perMac = (n: number | undefined, macs: number) => (n !== undefined && macs > 0 ? (n / macs).toFixed(2) : "");
  const rows: (string | number)[][] = [["op", "kind", "kernel", "entry", "MACs", "flash", "activations", "scratch", "est. instr", ...(measured ? ["measured"] : []), ...(cycles ? ["cycles", "per MAC"] : [])]];
  for (const o of r.ops) {
    rows.push([String(o.op), o.kind + (o.streamed ? " (streamed)" : ""), o.kernel, o.entry.join(", "), o.macs, o.constBytes, o.activationBytes, o.scratchBytes, o.estimatedInstructions,
      ...(measured ? [o.measuredInstructions ?? 0] : []), ...(cycles ? [o.estimatedCycles ?? 0, perMac(o.estimatedCycles, o.macs)] : [])]);
  }
  rows.push(["total", "", "", "", r.totals.macs, r.totals.constBytes, "", "", r.totals.estimatedInstructions, ...(measured ? [r.totals.measuredInstructions!] : []),
    ...(cycles ? [r.totals.estimatedCycles!, perMac(r.totals.estimatedCycles, r.totals.macs)] : [])]);
  const why = r.ops.filter((o) => o.why).map((o) => `op ${o.op} ${o.kind} ${o.why}`);
  return [
    `${r.model} on ${r.target} (${r.backend} backend): arena ${bytes(r.arenaBytes)} bytes, peak at op ${r.peak.op} (${r.peak.kind}) with ${bytes(r.peak.liveBytes)} bytes live`,
    table(rows, ["r", "l", "l", "l", "r", "r", "r", "r", "r", "r", "r", "r"]),
    `flash: weights, requantization tables and kernel parameters (${r.constBytesMeasured ? "measured in the compiled model.o" : "estimated, model.c not compiled here (no compiler for the target, or no CMSIS-NN tree); structs at 4 bytes a field"}); ` +
      `activations: bytes alive during the op, scratch apart; est. instr: the kernel families' cost figures${measured ? "; measured: QEMU's instruction count, a streamed segment's in its last op" : ""}${cycles ? "; cycles: the cycle model's estimate (zero wait states), counted the same way" : ""}`,
    ...why,
  ].join("\n") + "\n";
}
