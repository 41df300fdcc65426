/**
 * Row streaming's side of a kernel call, for every family whose kernels
 * compute row ranges through rings (OpKernel.ringRows): their parameter
 * structs end with the row fields (row_begin, row_end, in_ring, out_ring;
 * all 0 for a whole tensor), which a call inside a segment sets on a copy.
 */
import type { EmitContext } from "./types.js";

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
