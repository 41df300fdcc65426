/** MAX_POOL_2D, int8: the largest value over the window clipped to the image, then the activation clamp (reference_integer_ops::MaxPool). */
import { elementCount } from "../ir.js";
import { tensorOf } from "./common.js";
import { forEachWindow, parsePool, poolRows, writePool, preparePool, validatePool, type PoolParams } from "./pool.js";
import type { OpModule } from "./types.js";

export const maxPool2d: OpModule<"MAX_POOL_2D", PoolParams> = {
  kind: "MAX_POOL_2D",
  parseOptions: parsePool,
  writeOptions: writePool,
  validate: validatePool,
  prepare: preparePool,

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.batches * p.outH * p.outW * p.channels);
    forEachWindow(p, (outBase, inBase, y0, y1, x0, x1) => {
      for (let c = 0; c < p.channels; c++) {
        let m = -128;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m = Math.max(m, input![inBase(y, x) + c]!);
        out[outBase + c] = Math.min(p.actMax, Math.max(p.actMin, m));
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
