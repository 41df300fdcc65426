/** Under the cmsis-nn backend, ops CMSIS-NN has no kernel for (with TFLite's semantics) run tinyc's portable kernel; the report says so. */
import type { EmitContext } from "./types.js";

export function portableFallback(ctx: EmitContext, why: string): void {
  if (ctx.backend === "cmsis-nn") ctx.note(`runs tinyc's portable kernel: ${why}`);
}
