/** The portable data-movement kernels and MEAN (templates/c/portable/tinyc_data.c). */
import type { ConcatParams } from "../../compiler/ops/concatenation.js";
import type { MeanParams } from "../../compiler/ops/mean.js";
import type { PadParams } from "../../compiler/ops/pad.js";
import type { SpaceToDepthParams } from "../../compiler/ops/space_to_depth.js";
import type { TransposeParams } from "../../compiler/ops/transpose.js";
import type { OpKernel } from "../types.js";
import { cDims } from "./cdata.js";

const FILE = "tinyc_data.c";

export const concatenation: OpKernel<ConcatParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const out = ctx.tensor(node.outputs[0]!);
    p.parts.forEach((part, i) => {
      ctx.body.line(`tinyc_copy_blocks_s8(${p.outer}, ${part.inner}, ${ctx.tensor(node.inputs[i]!)}, ${part.inner}, ${out} + ${part.offset}, ${p.outInner});`);
    });
  },
};

export const pad: OpKernel<PadParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_pad_params", {
      in_dims: cDims(p.inDims), before: cDims(p.before), out_dims: cDims(p.outDims), pad_value: p.padValue,
    });
    ctx.body.line(`tinyc_pad_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const mean: OpKernel<MeanParams> = {
  /** One int32 accumulator per output element. */
  scratchBytes: ({ params: p }) => 4 * p.outputs,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_mean_params", {
      in_dims: cDims(p.inDims), out_stride: cDims(p.outStride), outputs: p.outputs, count: p.count,
      input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint, multiplier: p.multiplier, shift: p.shift,
    });
    ctx.body.line(`tinyc_mean_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)}, (int32_t *)${ctx.scratch()});`);
  },
};

export const transpose: OpKernel<TransposeParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_transpose_params", { out_dims: cDims(p.outDims), in_stride: cDims(p.inStride) });
    ctx.body.line(`tinyc_transpose_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const spaceToDepth: OpKernel<SpaceToDepthParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    ctx.body.line(`tinyc_space_to_depth_s8(${p.batches}, ${p.inH}, ${p.inW}, ${p.channels}, ${p.block}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};
