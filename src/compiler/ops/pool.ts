/** What AVERAGE_POOL_2D and MAX_POOL_2D share: options, validation, geometry. Both keep the input's scale. */
import type { DiagnosticBag } from "../../diagnostics.js";
import type { Graph, NodeOf, Pool2DOptions } from "../ir.js";
import { scalarQuant } from "../ir.js";
import { activationRange } from "../numerics/quantize.js";
import type { Builder } from "flatbuffers";
import type { FlatTable } from "../tflite/flat.js";
import { activationCode, optionsTable, paddingCode, type WrittenOptions } from "../tflite/options.js";
import * as fb from "../tflite/schema.js";
import {
  computePadding, expectInputCount, expectInt8Activation, expectRank, expectSameQuant, expectShape, parseActivation,
  parsePadding, positive, tensorOf,
} from "./common.js";
import type { OpSite, RowGeometry } from "./types.js";

export interface PoolParams {
  readonly batches: number;
  readonly inH: number; readonly inW: number; readonly channels: number;
  readonly outH: number; readonly outW: number;
  readonly kH: number; readonly kW: number;
  readonly strideH: number; readonly strideW: number;
  readonly padTop: number; readonly padLeft: number;
  readonly actMin: number; readonly actMax: number;
}

type PoolNode = NodeOf<"AVERAGE_POOL_2D"> | NodeOf<"MAX_POOL_2D">;

export function parsePool(t: FlatTable | undefined, site: OpSite): Pool2DOptions {
  const f = fb.Pool2DOptions;
  return {
    padding: parsePadding(t?.i8(f.padding) ?? 0, site),
    strideW: positive(t?.i32(f.strideW) ?? 0, "stride_w", site),
    strideH: positive(t?.i32(f.strideH) ?? 0, "stride_h", site),
    filterW: positive(t?.i32(f.filterW) ?? 0, "filter_width", site),
    filterH: positive(t?.i32(f.filterH) ?? 0, "filter_height", site),
    activation: parseActivation(t?.i8(f.activation) ?? 0, site),
  };
}

export function writePool(b: Builder, o: Pool2DOptions): WrittenOptions {
  const f = fb.Pool2DOptions;
  return optionsTable(b, fb.BuiltinOptionsType.Pool2DOptions, [
    { id: f.padding, i8: paddingCode(o.padding) }, { id: f.strideW, i32: o.strideW }, { id: f.strideH, i32: o.strideH },
    { id: f.filterW, i32: o.filterW }, { id: f.filterH, i32: o.filterH }, { id: f.activation, i8: activationCode(o.activation) },
  ]);
}

/** A pool's rows: its window's height, stride and top padding. */
export function poolRows(p: PoolParams): RowGeometry {
  return { inH: p.inH, outH: p.outH, kH: p.kH, strideH: p.strideH, dilH: 1, padTop: p.padTop, kW: p.kW };
}

export function preparePool(node: PoolNode, graph: Graph): PoolParams {
  const o = node.options;
  const [batches, inH, inW, channels] = tensorOf(graph, node.inputs[0]!).shape as number[];
  const pad = computePadding(o.padding, inH!, inW!, o.filterH, o.filterW, o.strideH, o.strideW);
  const q = scalarQuant(tensorOf(graph, node.outputs[0]!));
  const range = activationRange(o.activation, q.scale, q.zeroPoint);
  return {
    batches: batches!, inH: inH!, inW: inW!, channels: channels!, outH: pad.outH, outW: pad.outW,
    kH: o.filterH, kW: o.filterW, strideH: o.strideH, strideW: o.strideW, padTop: pad.top, padLeft: pad.left,
    actMin: range.min, actMax: range.max,
  };
}

export function validatePool(node: PoolNode, graph: Graph, bag: DiagnosticBag, site: OpSite): void {
  if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
  const inId = node.inputs[0]!, outId = node.outputs[0]!;
  const ok = expectInt8Activation(graph, inId, "input", bag, site) && expectRank(graph, inId, 4, "input", bag, site)
    && expectInt8Activation(graph, outId, "output", bag, site) && expectRank(graph, outId, 4, "output", bag, site)
    && expectSameQuant(graph, inId, outId, "the input", bag, site);
  if (!ok) return;
  const p = preparePool(node, graph);
  if (p.outH < 1 || p.outW < 1) {
    bag.add("TC117", "window", { kernelH: p.kH, kernelW: p.kW, inputH: p.inH, inputW: p.inW }, site);
    return;
  }
  expectShape(graph, outId, [p.batches, p.outH, p.outW, p.channels], "output", bag, site);
}

/** Visits every output position with the window clipped to the image: fn(output index base, first input row/col, y range, x range). */
export function forEachWindow(p: PoolParams, fn: (outBase: number, inBase: (y: number, x: number) => number, y0: number, y1: number, x0: number, x1: number) => void): void {
  for (let b = 0; b < p.batches; b++) {
    for (let oy = 0; oy < p.outH; oy++) {
      const iy0 = oy * p.strideH - p.padTop;
      const y0 = Math.max(0, -iy0), y1 = Math.min(p.kH, p.inH - iy0);
      for (let ox = 0; ox < p.outW; ox++) {
        const ix0 = ox * p.strideW - p.padLeft;
        const x0 = Math.max(0, -ix0), x1 = Math.min(p.kW, p.inW - ix0);
        fn(((b * p.outH + oy) * p.outW + ox) * p.channels, (y, x) => ((b * p.inH + iy0 + y) * p.inW + ix0 + x) * p.channels, y0, y1, x0, x1);
      }
    }
  }
}
