/** SPACE_TO_DEPTH, int8: each block x block patch becomes block*block*C channels, ordered (row in block, column in block, channel). */
import { fail } from "../../diagnostics.js";
import * as fb from "../tflite/schema.js";
import { expectInputCount, expectInt8Activation, expectRank, expectSameQuant, expectShape, tensorOf } from "./common.js";
import { optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export interface SpaceToDepthParams {
  readonly batches: number; readonly inH: number; readonly inW: number; readonly channels: number; readonly block: number;
}

export const spaceToDepth: OpModule<"SPACE_TO_DEPTH", SpaceToDepthParams> = {
  kind: "SPACE_TO_DEPTH",

  parseOptions(t, site) {
    const blockSize = t?.i32(fb.SpaceToDepthOptions.blockSize) ?? 0;
    if (blockSize < 1) fail("TC115", "blockSize", { blockSize }, site);
    return { blockSize };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.SpaceToDepthOptions, [{ id: fb.SpaceToDepthOptions.blockSize, i32: o.blockSize }]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const inId = node.inputs[0]!, out = node.outputs[0]!;
    if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectRank(graph, inId, 4, "input", bag, site)) return;
    if (!expectInt8Activation(graph, out, "output", bag, site) || !expectSameQuant(graph, inId, out, "the input", bag, site)) return;
    const [n, h, w, c] = tensorOf(graph, inId).shape as number[];
    const b = node.options.blockSize;
    if (h! % b !== 0 || w! % b !== 0) {
      bag.add("TC117", "blockMultiple", { height: h!, width: w!, blockSize: b }, site);
      return;
    }
    expectShape(graph, out, [n!, h! / b, w! / b, c! * b * b], "output", bag, site);
  },

  prepare(node, graph) {
    const [batches, inH, inW, channels] = tensorOf(graph, node.inputs[0]!).shape as number[];
    return { batches: batches!, inH: inH!, inW: inW!, channels: channels!, block: node.options.blockSize };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(input!.length);
    let k = 0;
    for (let b = 0; b < p.batches; b++)
      for (let oy = 0; oy < p.inH / p.block; oy++)
        for (let ox = 0; ox < p.inW / p.block; ox++)
          for (let by = 0; by < p.block; by++)
            for (let bx = 0; bx < p.block; bx++)
              for (let c = 0; c < p.channels; c++) out[k++] = input![((b * p.inH + oy * p.block + by) * p.inW + ox * p.block + bx) * p.channels + c]!;
    return out;
  },

  macs() {
    return 0;
  },

  // Each output row reads `block` whole input rows: the op can start a segment, not follow one.
  rows: (_node, _graph, p) => ({ inH: p.inH, outH: p.inH / p.block, kH: p.block, strideH: p.block, dilH: 1, padTop: 0, kW: 1, startsSegment: true }),
};
