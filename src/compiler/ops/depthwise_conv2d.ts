/**
 * DEPTHWISE_CONV_2D, int8: NHWC input, [1, H, W, C*M] filter (M = depth
 * multiplier, output channel = input channel * M + m), per-channel scales,
 * int32 bias, fused activations, SAME/VALID padding, strides, dilation.
 * Reference semantics: reference_integer_ops::DepthwiseConvPerChannel.
 */
import { elementCount } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import * as fb from "../tflite/schema.js";
import { constInt32, expectShape, tensorOf } from "./common.js";
import { convGeometry, convRows, convWithPadding, parseConvOptions, validateConvOperands, type ConvParams } from "./conv2d.js";
import { requantFor } from "./requant.js";
import { activationCode, optionsTable, paddingCode } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export interface DepthwiseParams extends ConvParams {
  readonly depthMultiplier: number;
}

export const depthwiseConv2d: OpModule<"DEPTHWISE_CONV_2D", DepthwiseParams> = {
  kind: "DEPTHWISE_CONV_2D",

  parseOptions(t, site) {
    const f = fb.DepthwiseConv2DOptions;
    return { ...parseConvOptions(t, f, site), depthMultiplier: t?.i32(f.depthMultiplier) ?? 0 };
  },

  writeOptions(b, o) {
    const f = fb.DepthwiseConv2DOptions;
    return optionsTable(b, fb.BuiltinOptionsType.DepthwiseConv2DOptions, [
      { id: f.padding, i8: paddingCode(o.padding) }, { id: f.strideW, i32: o.strideW }, { id: f.strideH, i32: o.strideH },
      { id: f.depthMultiplier, i32: o.depthMultiplier }, { id: f.activation, i8: activationCode(o.activation) },
      { id: f.dilationW, i32: o.dilationW, def: 1 }, { id: f.dilationH, i32: o.dilationH, def: 1 },
    ]);
  },

  validate(node, graph, bag, site) {
    const ops = validateConvOperands(node, graph, bag, site, 3);
    if (!ops) return;
    const { inId, fId, outId, filter, inC, outC } = ops;
    if (filter.shape[0] !== 1 || outC % inC !== 0) {
      bag.add("TC117", "depthwiseFilter", { shape: filter.shape.join(", "), inputChannels: inC }, { ...site, tensor: filter.name });
      return;
    }
    const dm = node.options.depthMultiplier;
    if (dm !== 0 && dm * inC !== outC) {
      bag.add("TC115", "depthMultiplier", { multiplier: dm, outputChannels: outC, inputChannels: inC }, site);
      return;
    }
    const g = convGeometry(graph, inId, fId, node.options, "1HWO");
    expectShape(graph, outId, [g.batches, g.outH, g.outW, outC], "output", bag, site);
  },

  prepare(node, graph) {
    const [inId, fId] = node.inputs as number[];
    const outId = node.outputs[0]!;
    const geo = convGeometry(graph, inId!, fId!, node.options, "1HWO");
    const requant = requantFor(graph, inId!, tensorOf(graph, fId!), outId, geo.outC, node.options.activation);
    return { geo, depthMultiplier: geo.outC / geo.inC, ...requant };
  },

  evaluate(node, graph, p, [input, filter]) {
    const g = p.geo;
    const m = p.depthMultiplier;
    const biasId = node.inputs[2] ?? -1;
    const bias = biasId >= 0 ? constInt32(tensorOf(graph, biasId)) : new Int32Array(g.outC);
    const out = new Int8Array(g.batches * g.outH * g.outW * g.outC);
    for (let b = 0; b < g.batches; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        const iy0 = oy * g.strideH - g.padTop;
        for (let ox = 0; ox < g.outW; ox++) {
          const ix0 = ox * g.strideW - g.padLeft;
          for (let ic = 0; ic < g.inC; ic++) {
            for (let dm = 0; dm < m; dm++) {
              const oc = ic * m + dm;
              let acc = 0;
              for (let ky = 0; ky < g.kH; ky++) {
                const iy = iy0 + ky * g.dilH;
                if (iy < 0 || iy >= g.inH) continue;
                for (let kx = 0; kx < g.kW; kx++) {
                  const ix = ix0 + kx * g.dilW;
                  if (ix < 0 || ix >= g.inW) continue;
                  acc += filter![(ky * g.kW + kx) * g.outC + oc]! * (input![((b * g.inH + iy) * g.inW + ix) * g.inC + ic]! + p.inputOffset);
                }
              }
              acc = multiplyByQuantizedMultiplier((acc + bias[oc]!) | 0, p.multiplier[oc]!, p.shift[oc]!) + p.outputOffset;
              out[((b * g.outH + oy) * g.outW + ox) * g.outC + oc] = acc < p.actMin ? p.actMin : acc > p.actMax ? p.actMax : acc;
            }
          }
        }
      }
    }
    return out;
  },

  macs(node, graph) {
    const filter = tensorOf(graph, node.inputs[1]!);
    return elementCount(tensorOf(graph, node.outputs[0]!).shape) * filter.shape[1]! * filter.shape[2]!;
  },

  rows: (_node, _graph, p) => convRows(p),
  withPadding: (node, graph, p, input, extra) => convWithPadding(node, graph, p, input, extra, "1HWO"),
};
