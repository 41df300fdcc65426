/**
 * A row-streamed segment's code: its calls (op, first row, end row), taken
 * from the stream schedule the planner chose, as a table in flash, run in
 * order by one loop; each op's kernel reads and writes its rings; a streamed
 * input's rows are fetched from the user's callback just before the call that
 * first reads them.
 */
import { assert } from "../diagnostics.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { Node } from "../compiler/ir.js";
import { loweredOp } from "../lower/types.js";
import type { Ring, Segment } from "../memplan/segments.js";
import { inputRowCallback, interfaceTensors } from "./header.js";
import type { ModelCode } from "./emit_op.js";
import type { Names } from "./naming.js";

/**
 * The layer hook of an op writing a ring inside a segment: once per row the
 * call wrote, in row order (each row is written once, so a hash run on across
 * the calls is the whole tensor's).
 */
function ringHook(code: ModelCode, node: Node, ring: Ring): void {
  const t = tensorOf(code.l.graph, ring.tensor), rowBytes = ring.bytes / ring.rows;
  assert(code.plan.pixelStride.get(t.id) === undefined, `op ${node.index}'s ring is written with a pixel stride`);
  code.body.line(`{ int32_t y; for (y = begin; y < end; y++) TINYC_LAYER_HOOK(${node.index}, ${code.arena(code.plan.tensorOffsets.get(t.id)!)} + (y % ${ring.rows}) * ${rowBytes}, ${rowBytes}); }`);
}

/**
 * Before a call of the op reading a streamed input: the user's callback for
 * each input row the call reads that has not arrived yet, in order, into the
 * input's ring (or, with `until`, every row left below that one). A
 * callback's error stops invoke().
 */
function fetchRows(code: ModelCode, names: Names, node: Node, ring: Ring, until?: string): void {
  const { body, l } = code;
  const o = loweredOp(l, node).rows!;
  const t = tensorOf(l.graph, ring.tensor), rowBytes = ring.bytes / ring.rows;
  const io = interfaceTensors(l.graph).find((x) => x.role === "input" && x.tensor.id === t.id)!;
  const fetchUntil = (limit: string) => body.block(`for (; fetched < ${limit}; fetched++)`, () => {
    body.line(`if (${inputRowCallback(io, names)}(fetched, ${code.arena(code.plan.tensorOffsets.get(t.id)!)} + (fetched % input_ring) * ${rowBytes}) != 0) return ${1 + node.index};`);
  });
  if (until !== undefined) return void fetchUntil(until);
  body.block("", () => {
    body.line(`int32_t need = (end - 1) * ${o.strideH} + ${(o.kH - 1) * o.dilH + 1 - o.padTop};`);
    body.line(`if (need > ${o.inH}) need = ${o.inH};`);
    fetchUntil("need");
  });
}

/** The segment's call table in flash and its band loop in the invoke body. */
export function emitSegment(code: ModelCode, names: Names, seg: Segment): void {
  const { body, data, l } = code;
  const table = code.symbols.take(`op${seg.ops[0]}_segment_calls`);
  const calls = seg.schedule.calls.flatMap((c) => [c.op, c.begin, c.end]);
  data.comment(`segment of ops ${seg.ops.join(", ")}: per kernel call, the op (its place in the segment) and its output rows [begin, end)`);
  data.array(`static const int16_t ${table}[${calls.length}] TINYC_WEIGHTS_PLACE`, calls, 24);
  code.counted(table, 2 * calls.length, true, seg.ops[0]!);
  data.line();
  const input = seg.inputRing;
  const all = [...(input ? [input] : []), ...seg.rings];
  body.comment(`segment of ops ${seg.ops.join(", ")}, streamed by rows: ${all.map((r) => `${r.rows} rows`).join(", ")} of rings${input ? " (the first for the streamed input)" : ""}`);
  const rings = new Map(all.map((r) => [r.tensor, r.rows]));
  body.block("", () => {
    body.line("int32_t call;");
    if (input) body.line(`const int32_t input_ring = ${input.rows};`).line("int32_t fetched = 0;");
    body.block(`for (call = 0; call < ${seg.schedule.calls.length}; call++)`, () => {
      body.line(`const int32_t begin = ${table}[3 * call + 1], end = ${table}[3 * call + 2];`);
      body.block(`switch (${table}[3 * call])`, () => {
        seg.steps.forEach((step, k) => {
          const inRing = k > 0 ? seg.rings[k - 1]!.rows : input ? "input_ring" : 0, outRing = k < seg.rings.length ? seg.rings[k]!.rows : 0;
          const node = l.graph.nodes[step]!;
          body.line(`case ${k}:`);
          if (k === 0 && input) fetchRows(code, names, node, input);
          code.emitOp(node, { begin: "begin", end: "end", inRing, outRing, rings });
          if (k < seg.rings.length) ringHook(code, node, seg.rings[k]!);
          body.line("break;");
        });
        body.line("default:");
        body.line("break;");
      });
    });
    // Rows below the last one the first op reads are still asked for: the source delivers every row, each invoke.
    if (input) fetchRows(code, names, l.graph.nodes[seg.steps[0]!]!, input, String(tensorOf(l.graph, input.tensor).shape[1]));
  });
}
