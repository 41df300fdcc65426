/**
 * AVERAGE_POOL_2D, int8: input and output share scale and zero point; the
 * average rounds half away from zero over the window clipped to the image
 * (padding cells do not count). Reference semantics:
 * reference_integer_ops::AveragePool.
 */
import { elementCount, scalarQuant } from "../ir.js";
import { activationRange } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import * as cmsis from "../codegen/cmsis_nn.js";
import {
  computePadding, expectInputCount, expectInt8Activation, expectRank, expectShape, parseActivation, parsePadding,
  positive, tensorOf,
} from "./common.js";
import type { OpModule } from "./types.js";

export interface PoolParams {
  readonly batches: number;
  readonly inH: number; readonly inW: number; readonly channels: number;
  readonly outH: number; readonly outW: number;
  readonly kH: number; readonly kW: number;
  readonly strideH: number; readonly strideW: number;
  readonly padTop: number; readonly padLeft: number;
  readonly actMin: number; readonly actMax: number;
}

export const averagePool2d: OpModule<"AVERAGE_POOL_2D", PoolParams> = {
  kind: "AVERAGE_POOL_2D",
  builtinCode: 1,

  parseOptions(t, site) {
    const f = fb.Pool2DOptions;
    return {
      padding: parsePadding(t?.i8(f.padding) ?? 0, site),
      strideW: positive(t?.i32(f.strideW) ?? 0, "stride_w", site),
      strideH: positive(t?.i32(f.strideH) ?? 0, "stride_h", site),
      filterW: positive(t?.i32(f.filterW) ?? 0, "filter_width", site),
      filterH: positive(t?.i32(f.filterH) ?? 0, "filter_height", site),
      activation: parseActivation(t?.i8(f.activation) ?? 0, site),
    };
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 1, 1, bag, site)) return;
    const inId = node.inputs[0]!, outId = node.outputs[0]!;
    const ok = expectInt8Activation(graph, inId, "input", bag, site) && expectRank(graph, inId, 4, "input", bag, site)
      && expectInt8Activation(graph, outId, "output", bag, site) && expectRank(graph, outId, 4, "output", bag, site);
    if (!ok) return;
    const qi = scalarQuant(tensorOf(graph, inId)), qo = scalarQuant(tensorOf(graph, outId));
    if (qi.scale !== qo.scale || qi.zeroPoint !== qo.zeroPoint) {
      bag.add("TC116", "input and output of an int8 average pool must share scale and zero point", site);
      return;
    }
    const p = this.prepare(node, graph);
    expectShape(graph, outId, [p.batches, p.outH, p.outW, p.channels], "output", bag, site);
  },

  prepare(node, graph) {
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
  },

  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.batches * p.outH * p.outW * p.channels);
    for (let b = 0; b < p.batches; b++) {
      for (let oy = 0; oy < p.outH; oy++) {
        const iy0 = oy * p.strideH - p.padTop;
        const y0 = Math.max(0, -iy0), y1 = Math.min(p.kH, p.inH - iy0);
        for (let ox = 0; ox < p.outW; ox++) {
          const ix0 = ox * p.strideW - p.padLeft;
          const x0 = Math.max(0, -ix0), x1 = Math.min(p.kW, p.inW - ix0);
          const count = (y1 - y0) * (x1 - x0);
          for (let c = 0; c < p.channels; c++) {
            let acc = 0;
            for (let ky = y0; ky < y1; ky++) {
              for (let kx = x0; kx < x1; kx++) acc += input![((b * p.inH + iy0 + ky) * p.inW + ix0 + kx) * p.channels + c]!;
            }
            acc = acc > 0 ? Math.trunc((acc + (count >> 1)) / count) : Math.trunc((acc - (count >> 1)) / count);
            out[((b * p.outH + oy) * p.outW + ox) * p.channels + c] = Math.min(p.actMax, Math.max(p.actMin, acc));
          }
        }
      }
    }
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
    const params = ctx.struct(`op${node.index}_params`, "tinyc_pool_params", {
      batches: p.batches, in_h: p.inH, in_w: p.inW, channels: p.channels, out_h: p.outH, out_w: p.outW,
      k_h: p.kH, k_w: p.kW, stride_h: p.strideH, stride_w: p.strideW, pad_top: p.padTop, pad_left: p.padLeft,
      act_min: p.actMin, act_max: p.actMax,
    });
    ctx.body.line(`tinyc_avgpool2d_s8(&${params}, ${input}, ${output});`);
  },
};
