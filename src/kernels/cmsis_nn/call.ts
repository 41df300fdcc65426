/** How every CMSIS-NN call is emitted: its context (scratch buffer), a status check, and dims structs as const data. */
import type { EmitContext } from "../types.js";

export const tile = (w: number, h: number) => `{ ${w}, ${h} }`;

export const dims = (ctx: EmitContext, name: string, n: number, h: number, w: number, c: number) =>
  ctx.struct(name, "cmsis_nn_dims", { n, h, w, c });

/** A call taking a cmsis_nn_context; a status other than ARM_CMSIS_NN_SUCCESS makes invoke() return 1 + the op index. */
export function call(ctx: EmitContext, index: number, scratchBytes: number, body: (ctxVar: string) => string, scratch = ctx.scratch()): void {
  ctx.body.block("", () => {
    ctx.body.line(`const cmsis_nn_context ctx = { ${scratchBytes > 0 ? scratch : "NULL"}, ${scratchBytes} };`);
    checked(ctx, index, body("&ctx"));
  });
}

/** A call whose status is checked. */
export function checked(ctx: EmitContext, index: number, expr: string): void {
  ctx.body.block(`if (${expr} != ARM_CMSIS_NN_SUCCESS)`, () => ctx.body.line(`return ${index + 1};`));
}
