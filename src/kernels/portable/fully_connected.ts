/** The portable FULLY_CONNECTED and SOFTMAX kernels (templates/c/portable/tinyc_fully_connected.c, tinyc_softmax.c). */
import type { FullyConnectedParams } from "../../compiler/ops/fully_connected.js";
import type { SoftmaxParams } from "../../compiler/ops/softmax.js";
import type { LogSoftmaxParams } from "../../compiler/ops/log_softmax.js";
import type { OpKernel } from "../types.js";

export const fullyConnected: OpKernel<FullyConnectedParams> = {
  emit({ node, params: p }, ctx) {
    const [inId, fId, bId = -1] = node.inputs as number[];
    const input = ctx.tensor(inId!), filter = ctx.tensor(fId!), output = ctx.tensor(node.outputs[0]!);
    const bias = bId >= 0 ? ctx.tensor(bId) : "NULL";
    const mult = ctx.table(`op${node.index}_multiplier`, "int32_t", p.multiplier);
    const shift = ctx.table(`op${node.index}_shift`, "int32_t", p.shift);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_fc_params", {
      batches: p.batches, depth: p.depth, out_depth: p.outDepth, input_offset: p.inputOffset,
      output_offset: p.outputOffset, act_min: p.actMin, act_max: p.actMax,
    });
    ctx.source("tinyc_fully_connected.c");
    ctx.body.line(`tinyc_fully_connected_s8(&${params}, ${mult}, ${shift}, ${input}, ${filter}, ${bias}, ${output});`);
  },
};

export const softmax: OpKernel<SoftmaxParams> = {
  emit({ node, params: p }, ctx) {
    const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_softmax_params", {
      rows: p.rows, depth: p.depth, input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift, diff_min: p.diffMin,
    });
    ctx.source("tinyc_softmax.c");
    ctx.body.line(`tinyc_softmax_s8(&${params}, ${input}, ${output});`);
  },
};

export const logSoftmax: OpKernel<LogSoftmaxParams> = {
  emit({ node, params: p }, ctx) {
    const params = ctx.struct(`op${node.index}_params`, "tinyc_log_softmax_params", {
      rows: p.rows, depth: p.depth, input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift, diff_min: p.diffMin,
      reverse_scaling_divisor: p.reverseScalingDivisor, reverse_scaling_shift: p.reverseScalingShift,
    });
    ctx.source("tinyc_softmax.c");
    ctx.body.line(`tinyc_log_softmax_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};
