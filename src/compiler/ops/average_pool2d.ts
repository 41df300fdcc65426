/**
 * AVERAGE_POOL_2D, int8: input and output share scale and zero point; the
 * average rounds half away from zero over the window clipped to the image
 * (padding cells do not count). Reference semantics:
 * reference_integer_ops::AveragePool.
 */
import { elementCount } from "../ir.js";
import * as cmsis from "../codegen/cmsis_nn.js";
import { tensorOf } from "./common.js";
import { forEachWindow, poolOverlap, parsePool, writePool, poolStruct, preparePool, validatePool, type PoolParams } from "./pool.js";
import type { OpModule } from "./types.js";

export type { PoolParams } from "./pool.js";

export const averagePool2d: OpModule<"AVERAGE_POOL_2D", PoolParams> = {
  kind: "AVERAGE_POOL_2D",
  builtinCode: 1,
  parseOptions: parsePool,
  writeOptions: writePool,
  validate: validatePool,
  prepare: preparePool,

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.batches * p.outH * p.outW * p.channels);
    forEachWindow(p, (outBase, inBase, y0, y1, x0, x1) => {
      const count = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < p.channels; c++) {
        let acc = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) acc += input![inBase(y, x) + c]!;
        acc = acc > 0 ? Math.trunc((acc + (count >> 1)) / count) : Math.trunc((acc - (count >> 1)) / count);
        out[outBase + c] = Math.min(p.actMax, Math.max(p.actMin, acc));
      }
    });
    return out;
  },

  macs(node, graph) {
    const o = node.options;
    return elementCount(tensorOf(graph, node.outputs[0]!).shape) * o.filterH * o.filterW;
  },

  scratchBytes(_node, _graph, p, backend, target) {
    return backend === "cmsis-nn" ? cmsis.avgpoolScratchBytes(p, target) : 0;
  },

  emit(node, _graph, p, ctx) {
    const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
    if (ctx.backend === "cmsis-nn") {
      cmsis.emitAvgPool(ctx, p, { input, output, index: node.index });
      return;
    }
    ctx.kernel("tinyc_avgpool2d.c");
    ctx.body.line(`tinyc_avgpool2d_s8(&${poolStruct(ctx, node.index, p)}, ${input}, ${output});`);
  },

  overlap: (_node, _graph, p, backend) => poolOverlap(p, backend),
  stridedOutput: (backend) => backend === "portable",
};
