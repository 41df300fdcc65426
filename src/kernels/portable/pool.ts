/** The portable AVERAGE_POOL_2D and MAX_POOL_2D kernels (templates/c/portable/tinyc_avgpool2d.c, tinyc_maxpool2d.c). */
import type { PoolParams } from "../../compiler/ops/pool.js";
import { rowsCall } from "../rows.js";
import type { KernelOp, OpKernel, OverlapCapability } from "../types.js";
import { poolStruct, windowOverlap } from "./window.js";

function poolOverlap({ params: p }: KernelOp<PoolParams>): OverlapCapability[] {
  return windowOverlap({ ...p, inC: p.channels, outC: p.channels, dilH: 1, dilW: 1 }, "overlap", (c) => [c, c]);
}

function pool(file: string, kernel: string): OpKernel<PoolParams> {
  return {
    overlap: poolOverlap,
    stridedOutput: () => true,
    ringRows: ({ params: p }) => p.batches === 1,
    emit({ node, params }, ctx) {
      const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
      ctx.source(file);
      rowsCall(ctx, "tinyc_pool_params", poolStruct(ctx, node.index, params), (ps) => `${kernel}(${ps}, ${input}, ${output})`);
    },
  };
}

export const averagePool2d = pool("tinyc_avgpool2d.c", "tinyc_avgpool2d_s8");
export const maxPool2d = pool("tinyc_maxpool2d.c", "tinyc_maxpool2d_s8");
