/**
 * FULLY_CONNECTED through arm_fully_connected_s8 (per tensor) or
 * arm_fully_connected_per_channel_s8, and SOFTMAX through arm_softmax_s8. The
 * MVE fully connected kernel reads kernel sums from its context buffer (what
 * arm_vector_sum_s8 computes): tinyc computes them on the host, as const data
 * in flash, so they take no arena.
 */
import { constInt32, constInt8, tensorOf } from "../../compiler/ops/common.js";
import type { FullyConnectedParams } from "../../compiler/ops/fully_connected.js";
import type { SoftmaxParams } from "../../compiler/ops/softmax.js";
import type { OpKernel } from "../types.js";
import { call, dims } from "./call.js";

/** bias[r] + input_offset * (sum of row r + cols * filter_offset), as arm_vector_sum_s8 computes. */
export function kernelSums(filter: Int8Array, rows: number, cols: number, inputOffset: number, bias: Int32Array | undefined): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += filter[r * cols + c]!;
    out[r] = ((bias ? bias[r]! : 0) + Math.imul(s, inputOffset)) | 0;
  }
  return out;
}

export const fullyConnected: OpKernel<FullyConnectedParams> = {
  emit({ node, graph, params: p }, ctx) {
    const [inId, fId, bId = -1] = node.inputs as number[];
    const input = ctx.tensor(inId!), filter = ctx.tensor(fId!), output = ctx.tensor(node.outputs[0]!);
    const bias = bId >= 0 ? ctx.tensor(bId) : "NULL";
    const i = node.index;
    const params = ctx.struct(`op${i}_fc_params`, "cmsis_nn_fc_params", {
      input_offset: p.inputOffset, filter_offset: 0, output_offset: p.outputOffset, activation: `{ ${p.actMin}, ${p.actMax} }`,
    });
    const inDims = dims(ctx, `op${i}_input_dims`, p.batches, 1, 1, p.depth);
    const fDims = dims(ctx, `op${i}_filter_dims`, p.depth, 1, 1, p.outDepth);
    const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, p.outDepth);
    const outDims = dims(ctx, `op${i}_output_dims`, p.batches, 1, 1, p.outDepth);
    let sums = "NULL", sumBytes = 0;
    if (ctx.target.mve) {
      const biasData = bId >= 0 ? constInt32(tensorOf(graph, bId)) : undefined;
      sums = `(void *)${ctx.table(`op${i}_kernel_sums`, "int32_t", kernelSums(constInt8(tensorOf(graph, fId!)), p.outDepth, p.depth, p.inputOffset, biasData))}`;
      sumBytes = p.outDepth * 4;
    }
    const quant = p.perChannel
      ? ctx.struct(`op${i}_quant`, "cmsis_nn_per_channel_quant_params", {
          multiplier: `(int32_t *)${ctx.table(`op${i}_multiplier`, "int32_t", p.multiplier)}`,
          shift: `(int32_t *)${ctx.table(`op${i}_shift`, "int32_t", p.shift)}`,
        })
      : ctx.struct(`op${i}_quant`, "cmsis_nn_per_tensor_quant_params", { multiplier: p.multiplier[0]!, shift: p.shift[0]! });
    const fn = p.perChannel ? "arm_fully_connected_per_channel_s8" : "arm_fully_connected_s8";
    call(ctx, i, sumBytes, (c) => `${fn}(${c}, &${params}, &${quant}, &${inDims}, ${input}, &${fDims}, ${filter}, &${bDims}, ${bias}, &${outDims}, ${output})`, sums);
  },
};

export const softmax: OpKernel<SoftmaxParams> = {
  emit({ node, params: p }, ctx) {
    const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
    ctx.body.line(`arm_softmax_s8(${input}, ${p.rows}, ${p.depth}, ${p.inputMultiplier}, ${p.inputLeftShift}, ${p.diffMin}, ${output});`);
  },
};
