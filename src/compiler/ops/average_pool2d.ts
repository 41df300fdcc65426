/**
 * AVERAGE_POOL_2D, int8: input and output share scale and zero point; the
 * average rounds half away from zero over the window clipped to the image
 * (padding cells do not count). Reference semantics:
 * reference_integer_ops::AveragePool.
 */
import { elementCount } from "../ir.js";
import { tensorOf } from "./common.js";
import { forEachWindow, parsePool, poolRows, writePool, preparePool, validatePool, type PoolParams } from "./pool.js";
import type { OpModule } from "./types.js";

export type { PoolParams } from "./pool.js";

export const averagePool2d: OpModule<"AVERAGE_POOL_2D", PoolParams> = {
  kind: "AVERAGE_POOL_2D",
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

  rows: (_node, _graph, p) => poolRows(p),
};
