/**
 * `tinyc plan --html`: a self-contained page with a picture of the arena (ops
 * left to right, byte offsets bottom to top, one box per buffer over the ops it
 * lives through, the peak op marked, hover for name, shape and bytes) and the
 * per-op table. Where an op writes its output over the input it consumes, the
 * input's box ends and the output's begins in the middle of that op's column.
 * Row-streamed segments shade their ops' columns; the rings they hold (and a
 * streamed input's) are dashed boxes. No scripts, no external resources. Boxes carry data-name and
 * data-color, and the picture its scales, so a browser test can check it.
 */
import type { CompiledModel } from "../compile.js";
import { sharedBytes, type OverlapRule } from "../memplan/overlap.js";
import { formatPlanRows } from "./report.js";
import { analyzeModel } from "./analyze.js";

const PLOT = { left: 70, top: 30, width: 960, height: 560 };
/** The background of a row-streamed segment's columns. */
export const SEGMENT_COLOR = "#e6eeff";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Distinct, saturated colours by index (golden-angle hues), as #rrggbb. */
export function boxColor(i: number): string {
  const h = (i * 137.508) % 360, s = 0.62, l = 0.55;
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** A table cell's text: numbers with thousands separators. */
const num = (v: string | number) => (typeof v === "number" ? v.toLocaleString("en-US") : v);

/** The analyze view (estimates): per op its kernel, MACs, flash, activation bytes, scratch and estimated instructions. */
function analyzeSection(c: CompiledModel): string {
  const r = analyzeModel(c);
  const head = ["op", "kind", "kernel", "MACs", "flash (est.)", "activations", "scratch", "est. instructions"];
  const rows = r.ops.map((o) => [o.op, o.kind + (o.streamed ? " (streamed)" : ""), o.kernel + (o.entry.length ? `: ${o.entry.join(", ")}` : "") + (o.why ? ` (${o.why})` : ""), o.macs, o.constBytes, o.activationBytes, o.scratchBytes, o.estimatedInstructions]);
  rows.push(["total", "", "", r.totals.macs, r.totals.constBytes, "", "", r.totals.estimatedInstructions]);
  return `<h2>Per op</h2>
<table id="analyze"><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>
${rows.map((row) => `<tr>${row.map((v) => `<td>${esc(num(v))}</td>`).join("")}</tr>`).join("\n")}
</tbody></table>`;
}

export function planHtml(c: CompiledModel): string {
  const p = c.plan;
  const steps = Math.max(1, p.steps.length);
  const arena = Math.max(1, p.arenaBytes);
  const sx = PLOT.width / steps, sy = PLOT.height / arena;
  const shapes = new Map<number, string[]>();
  for (const [t, b] of p.tensorBuffer) shapes.set(b, [...(shapes.get(b) ?? []), `[${c.graph.tensors[t]!.shape.join("x")}]`]);
  const shares = (r: OverlapRule) => sharedBytes(p.buffers[r.input]!, p.buffers[r.output]!, p.placement.offsets.get(r.input)!, p.placement.offsets.get(r.output)!) > 0;
  const half = (ids: (r: OverlapRule) => number) => new Set(p.rules.filter(shares).map(ids));
  const bornHalfway = half((r) => r.output), diesHalfway = half((r) => r.input);
  // Row-streamed segments: a band under their ops' columns; their rings (and a streamed input's) dashed.
  const rings = new Map<number, number>();
  for (const seg of p.segments) for (const r of [...(seg.inputRing ? [seg.inputRing] : []), ...seg.rings]) rings.set(p.tensorBuffer.get(r.tensor)!, r.rows);
  const bands = p.segments.map((seg) => {
    const first = seg.steps[0]!, last = seg.steps[seg.steps.length - 1]!;
    const x = PLOT.left + first * sx, w = (last + 1 - first) * sx, label = `streamed: ops ${seg.ops[0]}–${seg.ops[seg.ops.length - 1]}`;
    return `<rect x="${x.toFixed(2)}" y="${PLOT.top}" width="${w.toFixed(2)}" height="${PLOT.height}" fill="${SEGMENT_COLOR}" data-segment="${seg.ops.join(",")}"><title>${esc(`${label}, in bands of ${seg.schedule.bandRows} row${seg.schedule.bandRows === 1 ? "" : "s"} (${seg.schedule.calls.length} kernel calls, about ${seg.overhead} instructions more)`)}</title></rect>` +
      `\n<text x="${(x + w / 2).toFixed(2)}" y="${PLOT.top + 12}" text-anchor="middle" fill="#36c">${esc(label)}</text>`;
  });
  const boxes = p.buffers.map((b, i) => {
    const off = p.placement.offsets.get(b.id)!;
    const from = b.firstUse + (bornHalfway.has(b.id) ? 0.5 : 0), to = b.lastUse + (diesHalfway.has(b.id) ? 0.5 : 1);
    const x = PLOT.left + from * sx, w = (to - from) * sx;
    const y = PLOT.top + PLOT.height - (off + b.bytes) * sy, h = Math.max(1, b.bytes * sy);
    const color = boxColor(i);
    const tip = `${b.name}\n${(shapes.get(b.id) ?? ["scratch"]).join(", ")}\n${b.bytes} bytes at offset ${off}\nops ${p.steps[b.firstUse]?.op} to ${p.steps[b.lastUse]?.op}`;
    const ring = rings.get(b.id);
    const dashed = ring === undefined ? "" : ` stroke="#000" stroke-width="1" stroke-dasharray="3 2" data-ring="${ring}"`;
    return `<rect x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${w.toFixed(2)}" height="${h.toFixed(2)}" fill="${color}"${dashed} data-name="${esc(b.name)}" data-color="${color}"><title>${esc(tip)}</title></rect>`;
  });
  const peakX = PLOT.left + p.peakStep * sx;
  const ticks = Array.from({ length: 5 }, (_, k) => {
    const v = Math.round((arena * k) / 4), y = PLOT.top + PLOT.height - v * sy;
    return `<text x="${PLOT.left - 6}" y="${y + 4}" text-anchor="end">${v}</text>`;
  });
  const opLabels = p.steps.map((s, k) => (steps <= 60 || k % Math.ceil(steps / 60) === 0 ? `<text x="${(PLOT.left + (k + 0.5) * sx).toFixed(1)}" y="${PLOT.top + PLOT.height + 14}" text-anchor="middle">${s.op}</text>` : ""));
  const svg = [
    `<svg id="arena" xmlns="http://www.w3.org/2000/svg" width="${PLOT.left + PLOT.width + 20}" height="${PLOT.top + PLOT.height + 40}"`,
    ` data-x0="${PLOT.left}" data-y0="${PLOT.top + PLOT.height}" data-step-width="${sx}" data-byte-height="${sy}" data-steps="${steps}" data-arena="${arena}">`,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.width}" height="${PLOT.height}" fill="#ffffff" stroke="#888"/>`,
    ...bands,
    // The peak's column edges, under the boxes: they show above the plot and through free space.
    `<line x1="${peakX}" y1="${PLOT.top - 8}" x2="${peakX}" y2="${PLOT.top + PLOT.height}" stroke="#d00" stroke-dasharray="4 3"/>`,
    `<line x1="${peakX + sx}" y1="${PLOT.top - 8}" x2="${peakX + sx}" y2="${PLOT.top + PLOT.height}" stroke="#d00" stroke-dasharray="4 3"/>`,
    ...boxes,
    `<text x="${peakX + sx / 2}" y="${PLOT.top - 12}" text-anchor="middle" fill="#d00">peak: op ${p.steps[p.peakStep]?.op}</text>`,
    ...ticks, ...opLabels,
    `<text x="${PLOT.left + PLOT.width / 2}" y="${PLOT.top + PLOT.height + 32}" text-anchor="middle">op (execution order)</text>`,
    `</svg>`,
  ].join("\n");
  const rows = formatPlanRows(c).map((r) => `<tr>${r.map((v) => `<td>${esc(num(v))}</td>`).join("")}</tr>`);
  const n = (x: number) => x.toLocaleString("en-US");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tinyc memory plan: ${esc(c.graph.name)}</title>
<style>body{font:13px system-ui,sans-serif;margin:16px;background:#fff;color:#222}svg text{font:11px system-ui,sans-serif}
table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right;vertical-align:top}
td:nth-child(2),td:nth-child(6),th:nth-child(2),th:nth-child(6){text-align:left}</style></head>
<body><h1>${esc(c.graph.name)}: arena ${n(p.arenaBytes)} bytes</h1>
<p>target ${esc(c.target.name)}, backend ${c.backend}, ${p.algorithm} placement, ${p.align}-byte alignment; layer-wise lower bound ${n(p.lowerBoundBytes)} bytes${p.overlapBoundBytes === undefined ? "" : `, ${n(p.overlapBoundBytes)} bytes with overlaps (${esc(p.options.join(", "))})`}${p.streamBoundBytes === undefined ? "" : `, ${n(p.streamBoundBytes)} bytes streamed (${p.segments.length} segments run row by row: shaded; rings dashed)`}${p.optimal ? " (arena proven minimal)" : ""}; greedy by size (largest first) of the same buffers would need ${n(p.greedyArenaBytes)} bytes. Hover a box for its tensor.</p>
${svg}
<table><thead><tr><th>op</th><th>kind</th><th>live bytes</th><th>with overlap</th><th>scratch</th><th>live tensors (offset)</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
${analyzeSection(c)}
</body></html>
`;
}
