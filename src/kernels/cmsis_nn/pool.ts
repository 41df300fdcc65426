/** AVERAGE_POOL_2D and MAX_POOL_2D through arm_avgpool_s8 and arm_max_pool_s8 (bit-exact with TFLite's reference pools). */
import type { PoolParams } from "../../compiler/ops/pool.js";
import type { Target } from "../../targets.js";
import type { OpKernel } from "../types.js";
import { call, dims, tile } from "./call.js";
import { avgpoolScratchBytes } from "./scratch.js";

function pool(fn: string, scratchBytes: (p: PoolParams, t: Target) => number): OpKernel<PoolParams> {
  return {
    scratchBytes: ({ params, target }) => scratchBytes(params, target),
    emit({ node, params: p }, ctx) {
      const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
      const i = node.index;
      const params = ctx.struct(`op${i}_pool_params`, "cmsis_nn_pool_params", {
        stride: tile(p.strideW, p.strideH), padding: tile(p.padLeft, p.padTop), activation: `{ ${p.actMin}, ${p.actMax} }`,
      });
      const inDims = dims(ctx, `op${i}_input_dims`, p.batches, p.inH, p.inW, p.channels);
      const fDims = dims(ctx, `op${i}_filter_dims`, 1, p.kH, p.kW, 1);
      const outDims = dims(ctx, `op${i}_output_dims`, p.batches, p.outH, p.outW, p.channels);
      call(ctx, i, scratchBytes(p, ctx.target), (c) => `${fn}(${c}, &${params}, &${inDims}, ${input}, &${fDims}, &${outDims}, ${output})`);
    },
  };
}

export const averagePool2d = pool("arm_avgpool_s8", avgpoolScratchBytes);
export const maxPool2d = pool("arm_max_pool_s8", () => 0);
