/** The portable CONV_2D and DEPTHWISE_CONV_2D kernels (templates/c/portable/tinyc_conv2d.c, tinyc_depthwise_conv2d.c). */
import type { Node } from "../../compiler/ir.js";
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import { rowsCall } from "../rows.js";
import type { EmitContext, OpKernel } from "../types.js";
import { convParamsStruct, windowOverlap } from "./window.js";

/** Per-channel requantization tables, a tinyc_conv_params struct, and the call. */
function emitConvCall(node: Node, p: ConvParams, ctx: EmitContext, file: string, kernel: string, depthMultiplier = 1): void {
  const [inId, fId, bId = -1] = node.inputs as number[];
  const input = ctx.tensor(inId!), filter = ctx.tensor(fId!), output = ctx.tensor(node.outputs[0]!);
  const bias = bId >= 0 ? ctx.tensor(bId) : "NULL";
  const mult = ctx.table(`op${node.index}_multiplier`, "int32_t", p.multiplier);
  const shift = ctx.table(`op${node.index}_shift`, "int32_t", p.shift);
  const params = ctx.struct(`op${node.index}_params`, "tinyc_conv_params", convParamsStruct(p, depthMultiplier, ctx.reverse, ctx.outputPixelStride ?? p.geo.outC));
  ctx.source(file);
  rowsCall(ctx, "tinyc_conv_params", params, (ps) => `${kernel}(${ps}, ${mult}, ${shift}, ${input}, ${filter}, ${bias}, ${output})`);
}

export const conv2d: OpKernel<ConvParams> = {
  overlap: ({ params: p }) => windowOverlap(p.geo, "overlap", () => [0, p.geo.inC - 1]),
  stridedOutput: () => true,
  // The window starts at pad_top / pad_left and is clipped to the image: any amounts, either side.
  explicitPadding: () => true,
  ringRows: ({ params: p }) => p.geo.batches === 1,
  emit: ({ node, params }, ctx) => emitConvCall(node, params, ctx, "tinyc_conv2d.c", "tinyc_conv2d_s8"),
};

export const depthwiseConv2d: OpKernel<DepthwiseParams> = {
  overlap({ params: p }) {
    const ic = (oc: number) => Math.floor(oc / p.depthMultiplier);
    return windowOverlap(p.geo, "depthwise-inplace", (oc) => [ic(oc), ic(oc)]);
  },
  stridedOutput: () => true,
  explicitPadding: () => true,
  ringRows: ({ params: p }) => p.geo.batches === 1,
  emit: ({ node, params }, ctx) => emitConvCall(node, params, ctx, "tinyc_depthwise_conv2d.c", "tinyc_depthwise_conv2d_s8", params.depthMultiplier),
};
