/**
 * RESIZE_NEAREST_NEIGHBOR, int8 NHWC: every output pixel copies one input
 * pixel, chosen per row and per column exactly as reference_ops'
 * GetNearestNeighbor does it in float32 (align_corners, half_pixel_centers). The
 * choices depend only on the shapes, so tinyc computes them on the host (two
 * index tables) and the kernel only copies; values keep their quantization.
 */
import { elementCount } from "../ir.js";
import { roundHalfAway } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { tensorOf } from "./common.js";
import { resizeGeometry, validateResize, type ResizeGeometry } from "./resize.js";
import type { OpModule } from "./types.js";

export interface ResizeNearestParams extends ResizeGeometry {
  /** Input row of each output row, input column of each output column. */
  readonly rows: readonly number[];
  readonly cols: readonly number[];
}

/** GetNearestNeighbor: the input index output index `o` reads, in float32 arithmetic. */
export function nearestIndex(o: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const f = Math.fround;
  const scale = alignCorners && outSize > 1 ? f((inSize - 1) / (outSize - 1)) : f(inSize / outSize);
  const at = f(f(o + (halfPixelCenters ? 0.5 : 0)) * scale);
  let v = Math.min(alignCorners ? roundHalfAway(at) : Math.floor(at), inSize - 1);
  if (halfPixelCenters) v = Math.max(0, v);
  return v;
}

export const resizeNearestNeighbor: OpModule<"RESIZE_NEAREST_NEIGHBOR", ResizeNearestParams> = {
  kind: "RESIZE_NEAREST_NEIGHBOR",
  parseOptions: (t) => ({ alignCorners: (t?.i8(fb.ResizeNearestNeighborOptions.alignCorners) ?? 0) !== 0, halfPixelCenters: (t?.i8(fb.ResizeNearestNeighborOptions.halfPixelCenters) ?? 0) !== 0 }),
  writeOptions: (b, o) => optionsTable(b, fb.BuiltinOptionsType.ResizeNearestNeighborOptions, [
    { id: fb.ResizeNearestNeighborOptions.alignCorners, i8: o.alignCorners ? 1 : 0 }, { id: fb.ResizeNearestNeighborOptions.halfPixelCenters, i8: o.halfPixelCenters ? 1 : 0 },
  ]),

  validate: validateResize,

  prepare(node, graph) {
    const g = resizeGeometry(node, graph);
    const o = node.options;
    return {
      ...g,
      rows: Array.from({ length: g.outH }, (_, y) => nearestIndex(y, g.inH, g.outH, o.alignCorners, o.halfPixelCenters)),
      cols: Array.from({ length: g.outW }, (_, x) => nearestIndex(x, g.inW, g.outW, o.alignCorners, o.halfPixelCenters)),
    };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.batches * p.outH * p.outW * p.channels);
    let k = 0;
    for (let b = 0; b < p.batches; b++) for (let y = 0; y < p.outH; y++) for (let x = 0; x < p.outW; x++) {
      const at = ((b * p.inH + p.rows[y]!) * p.inW + p.cols[x]!) * p.channels;
      for (let c = 0; c < p.channels; c++) out[k++] = input![at + c]!;
    }
    return out;
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.outputs[0]!).shape),
};
