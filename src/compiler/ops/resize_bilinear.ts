/**
 * RESIZE_BILINEAR, int8 NHWC (reference_ops::ResizeBilinearInteger, as
 * TensorFlow Lite Micro runs it for int8): 10-bit fixed-point source
 * coordinates per output row and column (align_corners or half_pixel_centers),
 * four weighted neighbours summed in 20 bits and divided with rounding half
 * away from zero. The coordinates depend only on the shapes, so tinyc computes
 * them on the host; values keep their quantization.
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { tensorOf } from "./common.js";
import { resizeGeometry, validateResize, type ResizeGeometry } from "./resize.js";
import type { OpModule } from "./types.js";

/** For each output row (or column): the lower and upper source index and the upper one's 10-bit weight. */
export interface Interpolation {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  readonly weight: readonly number[];
}

export interface ResizeBilinearParams extends ResizeGeometry {
  readonly rows: Interpolation;
  readonly cols: Interpolation;
}

/** ComputeInterpolationValuesInteger over every output index, with the scale of ResizeBilinearInteger. */
export function interpolation(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Interpolation {
  const scale = alignCorners && outSize > 1
    ? Math.trunc((1024 * (inSize - 1) + Math.trunc((outSize - 1) / 2)) / (outSize - 1))
    : Math.trunc((1024 * inSize + Math.trunc(outSize / 2)) / outSize);
  const lower: number[] = [], upper: number[] = [], weight: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const scaled = halfPixelCenters ? o * scale + Math.trunc(scale / 2) - 512 : o * scale;
    const lo = Math.max(Math.trunc(scaled / 1024), 0);
    lower.push(lo);
    upper.push(Math.min(Math.trunc((scaled + 1023) / 1024), inSize - 1));
    weight.push(scaled - 1024 * lo);
  }
  return { lower, upper, weight };
}

export const resizeBilinear: OpModule<"RESIZE_BILINEAR", ResizeBilinearParams> = {
  kind: "RESIZE_BILINEAR",
  parseOptions: (t) => ({ alignCorners: (t?.i8(fb.ResizeBilinearOptions.alignCorners) ?? 0) !== 0, halfPixelCenters: (t?.i8(fb.ResizeBilinearOptions.halfPixelCenters) ?? 0) !== 0 }),
  writeOptions: (b, o) => optionsTable(b, fb.BuiltinOptionsType.ResizeBilinearOptions, [
    { id: fb.ResizeBilinearOptions.alignCorners, i8: o.alignCorners ? 1 : 0 }, { id: fb.ResizeBilinearOptions.halfPixelCenters, i8: o.halfPixelCenters ? 1 : 0 },
  ]),

  validate(node, graph, bag, site) {
    if (node.options.alignCorners && node.options.halfPixelCenters) {
      bag.add("TC115", "alignAndHalfPixel", {}, site);
      return;
    }
    validateResize(node, graph, bag, site);
  },

  prepare(node, graph) {
    const g = resizeGeometry(node, graph);
    const o = node.options;
    return { ...g, rows: interpolation(g.inH, g.outH, o.alignCorners, o.halfPixelCenters), cols: interpolation(g.inW, g.outW, o.alignCorners, o.halfPixelCenters) };
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.batches * p.outH * p.outW * p.channels);
    const at = (b: number, y: number, x: number) => ((b * p.inH + y) * p.inW + x) * p.channels;
    let k = 0;
    for (let b = 0; b < p.batches; b++) for (let y = 0; y < p.outH; y++) for (let x = 0; x < p.outW; x++) {
      const wy = p.rows.weight[y]!, wx = p.cols.weight[x]!;
      const ll = at(b, p.rows.lower[y]!, p.cols.lower[x]!), lu = at(b, p.rows.upper[y]!, p.cols.lower[x]!);
      const rl = at(b, p.rows.lower[y]!, p.cols.upper[x]!), ru = at(b, p.rows.upper[y]!, p.cols.upper[x]!);
      for (let c = 0; c < p.channels; c++) {
        const sum = input![ll + c]! * (1024 - wy) * (1024 - wx) + input![lu + c]! * wy * (1024 - wx) + input![rl + c]! * (1024 - wy) * wx + input![ru + c]! * wy * wx;
        out[k++] = Math.trunc((sum + (sum > 0 ? 1 << 19 : -(1 << 19))) / (1 << 20));
      }
    }
    return out;
  },

  macs: (node, graph) => 4 * elementCount(tensorOf(graph, node.outputs[0]!).shape),
};
