/**
 * Row streaming's side of a kernel call, for every family whose kernels
 * compute row ranges through rings (OpKernel.ringRows): their parameter
 * structs end with the row fields (row_begin, row_end, in_ring, out_ring;
 * all 0 for a whole tensor), which a call inside a segment sets on a copy.
 */
import { tensorOf } from "../compiler/ops/common.js";
import type { BroadcastGeometry } from "../compiler/ops/shapes.js";
import type { EmitContext, KernelOp } from "./types.js";

/**
 * The statement `call(params)` (params: a pointer expression to the struct):
 * on the const struct `params`, or, inside a streamed segment, on a local
 * copy with the call's rows and rings.
 */
export function rowsCall(ctx: EmitContext, ctype: string, params: string, call: (params: string) => string): void {
  const rows = ctx.rows;
  if (!rows) return void ctx.body.line(`${call(`&${params}`)};`);
  ctx.body.block("", () => {
    ctx.body.line(`${ctype} rows = ${params};`);
    ctx.body.line(`rows.row_begin = ${rows.begin};`).line(`rows.row_end = ${rows.end};`);
    ctx.body.line(`rows.in_ring = ${rows.inRing};`).line(`rows.out_ring = ${rows.outRing};`);
    ctx.body.line(`${call("&rows")};`);
  });
}

/**
 * For a kernel whose output rows each follow from whole rows of its inputs
 * (element-wise ops on equal shapes, SPACE_TO_DEPTH): inside a segment, the
 * statement `call(row)` once per output row of the call's range, where
 * `row(id, rows)` is the address of tensor `id`'s row `rows` (a C expression
 * in `y`, the output row; a ring's row y at slot y mod its rows). Outside
 * one, `call` once with whole tensors.
 */
export function perRowCall(ctx: EmitContext, call: (row?: (id: number, y?: string) => string) => string): void {
  const rows = ctx.rows;
  if (!rows) return void ctx.body.line(`${call()};`);
  const row = (id: number, y = "y") => {
    const shape = tensorOf(ctx.graph, id).shape, bytes = shape[2]! * shape[3]!;
    const ring = rows.rings.get(id) ?? 0;
    return `${ctx.tensor(id)} + ${ring > 0 ? `((${y}) % ${ring})` : `(${y})`} * ${bytes}`;
  };
  ctx.body.block("", () => {
    ctx.body.line("int32_t y;");
    ctx.body.line(`for (y = ${rows.begin}; y < ${rows.end}; y++) ${call(row)};`);
  });
}

/** Whether a two-input element-wise op can run row by row: both inputs have the output's [1, H, W, C] shape. */
export function equalShapeRows({ node, graph }: KernelOp): boolean {
  const out = tensorOf(graph, node.outputs[0]!).shape;
  return out.length === 4 && out[0] === 1 && node.inputs.length === 2 &&
    node.inputs.every((id) => id >= 0 && tensorOf(graph, id).shape.join() === out.join());
}

/** The element-wise geometry of one row of an unbroadcast [1, H, W, C] op (6 dims: [1, 1, 1, 1, W, C]). */
export function oneRow(g: BroadcastGeometry): BroadcastGeometry {
  const dims = g.dims.map((d, k) => (k < 4 ? 1 : d));
  return { dims, stride1: [0, 0, 0, 0, dims[5]!, 1], stride2: [0, 0, 0, 0, dims[5]!, 1] };
}
