/** CONV_2D and DEPTHWISE_CONV_2D through CMSIS-NN's wrappers (arm_convolve_wrapper_s8, arm_depthwise_conv_wrapper_s8). */
import type { Node } from "../../compiler/ir.js";
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import { tflitePaddingOf } from "../../compiler/ops/common.js";
import type { EmitContext, KernelOp, OpKernel } from "../types.js";
import { convOverlap, depthwiseOverlap } from "./access.js";
import { call, dims, tile } from "./call.js";
import { convScratchBytes, depthwiseScratchBytes } from "./scratch.js";

interface MacOperands {
  readonly input: string; readonly filter: string; readonly bias: string; readonly output: string;
  readonly mult: string; readonly shift: string;
}

/** The operands both convolutions pass, and their per-channel requantization tables. */
function operands(node: Node, p: ConvParams, ctx: EmitContext): MacOperands {
  const [inId, fId, bId = -1] = node.inputs as number[];
  const input = ctx.tensor(inId!), filter = ctx.tensor(fId!), output = ctx.tensor(node.outputs[0]!);
  const bias = bId >= 0 ? ctx.tensor(bId) : "NULL";
  const mult = ctx.table(`op${node.index}_multiplier`, "int32_t", p.multiplier);
  const shift = ctx.table(`op${node.index}_shift`, "int32_t", p.shift);
  return { input, filter, bias, output, mult, shift };
}

function quant(ctx: EmitContext, i: number, o: MacOperands): string {
  return ctx.struct(`op${i}_quant`, "cmsis_nn_per_channel_quant_params", { multiplier: `(int32_t *)${o.mult}`, shift: `(int32_t *)${o.shift}` });
}

/**
 * CMSIS-NN takes padding as (left, top) and the output size, as TensorFlow Lite
 * Micro passes them for SAME and VALID; explicit amounts are accepted only where
 * they are what SAME or VALID would give, so the call is the one tested upstream.
 */
const standardPadding = ({ params }: KernelOp<ConvParams>) => tflitePaddingOf(params.geo) !== undefined;

export const conv2d: OpKernel<ConvParams> = {
  explicitPadding: standardPadding,
  scratchBytes: ({ params, target }) => convScratchBytes(params, target),
  overlap: ({ params, target }) => convOverlap(params, target),
  emit({ node, params: p }, ctx) {
    const o = operands(node, p, ctx);
    const g = p.geo, i = node.index;
    const params = ctx.struct(`op${i}_conv_params`, "cmsis_nn_conv_params", {
      input_offset: p.inputOffset, output_offset: p.outputOffset, stride: tile(g.strideW, g.strideH),
      padding: tile(g.padLeft, g.padTop), dilation: tile(g.dilW, g.dilH), activation: `{ ${p.actMin}, ${p.actMax} }`,
    });
    const inDims = dims(ctx, `op${i}_input_dims`, g.batches, g.inH, g.inW, g.inC);
    const fDims = dims(ctx, `op${i}_filter_dims`, g.outC, g.kH, g.kW, g.inC);
    const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, g.outC);
    const outDims = dims(ctx, `op${i}_output_dims`, g.batches, g.outH, g.outW, g.outC);
    const q = quant(ctx, i, o);
    call(ctx, i, convScratchBytes(p, ctx.target), (c) =>
      `arm_convolve_wrapper_s8(${c}, &${params}, &${q}, &${inDims}, ${o.input}, &${fDims}, ${o.filter}, &${bDims}, ${o.bias}, &${outDims}, ${o.output})`);
  },
};

export const depthwiseConv2d: OpKernel<DepthwiseParams> = {
  explicitPadding: standardPadding,
  scratchBytes: ({ params, target }) => depthwiseScratchBytes(params, target),
  overlap: ({ params, target }) => depthwiseOverlap(params, target),
  emit({ node, params: p }, ctx) {
    const o = operands(node, p, ctx);
    const g = p.geo, i = node.index;
    const params = ctx.struct(`op${i}_dw_conv_params`, "cmsis_nn_dw_conv_params", {
      input_offset: p.inputOffset, output_offset: p.outputOffset, ch_mult: p.depthMultiplier, stride: tile(g.strideW, g.strideH),
      padding: tile(g.padLeft, g.padTop), dilation: tile(g.dilW, g.dilH), activation: `{ ${p.actMin}, ${p.actMax} }`,
    });
    const inDims = dims(ctx, `op${i}_input_dims`, g.batches, g.inH, g.inW, g.inC);
    const fDims = dims(ctx, `op${i}_filter_dims`, 1, g.kH, g.kW, g.outC);
    const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, g.outC);
    const outDims = dims(ctx, `op${i}_output_dims`, g.batches, g.outH, g.outW, g.outC);
    const q = quant(ctx, i, o);
    call(ctx, i, depthwiseScratchBytes(p, ctx.target), (c) =>
      `arm_depthwise_conv_wrapper_s8(${c}, &${params}, &${q}, &${inDims}, ${o.input}, &${fDims}, ${o.filter}, &${bDims}, ${o.bias}, &${outDims}, ${o.output})`);
  },
};
