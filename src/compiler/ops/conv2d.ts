/**
 * CONV_2D, int8: NHWC input, OHWI filter with per-channel (or per-tensor)
 * symmetric scales, int32 bias, fused NONE/RELU/RELU6/RELU_N1_TO_1, SAME/VALID
 * padding, strides and dilation. Reference semantics: TensorFlow Lite's
 * reference_integer_ops::ConvPerChannel.
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import type { Conv2DOptions, ExplicitPadding, Graph, Node, NodeOf, Tensor } from "../ir.js";
import type { FlatTable } from "../tflite/flat.js";
import { elementCount } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import * as fb from "../tflite/schema.js";
import type { WindowGeometry } from "./shapes.js";
import {
  computePadding, constInt32, expectBias, expectInputCount, expectInt8Activation, expectInt8Weights, expectRank,
  expectShape, parseActivation, parsePadding, positive, tensorOf,
} from "./common.js";
import { requantFor, type Requant } from "./requant.js";
import { activationCode, optionsTable, paddingCode } from "../tflite/options.js";
import type { OpModule, OpSite, RowGeometry } from "./types.js";

export interface ConvGeometry extends WindowGeometry {
  /** Padding below/right that SAME adds beyond padTop/padLeft (for kernels that take it). */
  readonly padBottomExtra: number; readonly padRightExtra: number;
}

export interface ConvParams extends Requant {
  readonly geo: ConvGeometry;
}

export function convGeometry(graph: Graph, inputId: number, filterId: number, o: Conv2DOptions, filterSpatial: "OHWI" | "1HWO"): ConvGeometry {
  const [batches, inH, inW, inC] = tensorOf(graph, inputId).shape as number[];
  const fshape = tensorOf(graph, filterId).shape;
  const kH = fshape[1]!, kW = fshape[2]!;
  const outC = filterSpatial === "OHWI" ? fshape[0]! : fshape[3]!;
  const p = computePadding(o.padding, inH!, inW!, kH, kW, o.strideH, o.strideW, o.dilationH, o.dilationW);
  const totalH = Math.max(0, (p.outH - 1) * o.strideH + (kH - 1) * o.dilationH + 1 - inH!);
  const totalW = Math.max(0, (p.outW - 1) * o.strideW + (kW - 1) * o.dilationW + 1 - inW!);
  return {
    batches: batches!, inH: inH!, inW: inW!, inC: inC!, outH: p.outH, outW: p.outW, outC,
    kH, kW, strideH: o.strideH, strideW: o.strideW, dilH: o.dilationH, dilW: o.dilationW,
    padTop: p.top, padLeft: p.left, padBottomExtra: totalH - p.top, padRightExtra: totalW - p.left,
  };
}

/** Options shared by CONV_2D and DEPTHWISE_CONV_2D (their field ids differ). */
export function parseConvOptions(
  t: FlatTable | undefined, f: { padding: number; strideW: number; strideH: number; activation: number; dilationW: number; dilationH: number },
  site: OpSite,
): Conv2DOptions {
  return {
    padding: parsePadding(t?.i8(f.padding) ?? 0, site),
    strideW: positive(t?.i32(f.strideW) ?? 0, "stride_w", site),
    strideH: positive(t?.i32(f.strideH) ?? 0, "stride_h", site),
    activation: parseActivation(t?.i8(f.activation) ?? 0, site),
    dilationW: positive(t?.i32(f.dilationW, 1) ?? 1, "dilation_w_factor", site),
    dilationH: positive(t?.i32(f.dilationH, 1) ?? 1, "dilation_h_factor", site),
  };
}

export interface ConvOperands {
  readonly inId: number;
  readonly fId: number;
  readonly outId: number;
  readonly filter: Tensor;
  readonly inC: number;
  readonly outC: number;
}

/**
 * Checks the operands every convolution has: int8 NHWC input and output, a
 * constant 4-D int8 filter with symmetric scales along `channelAxis` (0 for
 * OHWI, 3 for depthwise), an optional int32 bias. Returns them when all are fine.
 */
export function validateConvOperands(node: Node, graph: Graph, bag: DiagnosticBag, site: OpSite, channelAxis: 0 | 3): ConvOperands | undefined {
  if (!expectInputCount(node.inputs, 2, 3, bag, site)) return undefined;
  const [inId, fId, bId = -1] = node.inputs as number[];
  const outId = node.outputs[0]!;
  const okIn = expectInt8Activation(graph, inId!, "input", bag, site) && expectRank(graph, inId!, 4, "input", bag, site);
  const okOut = expectInt8Activation(graph, outId, "output", bag, site) && expectRank(graph, outId, 4, "output", bag, site);
  if (!expectRank(graph, fId!, 4, "filter", bag, site)) return undefined;
  const filter = tensorOf(graph, fId!);
  const outC = filter.shape[channelAxis]!;
  if (!expectInt8Weights(graph, fId!, "filter", channelAxis, outC, bag, site)) return undefined;
  if (!expectBias(graph, bId, outC, bag, site) || !okIn || !okOut) return undefined;
  return { inId: inId!, fId: fId!, outId, filter, inC: tensorOf(graph, inId!).shape[3]!, outC };
}

/** A convolution's rows: its window's height, stride, dilation and top padding. */
export function convRows(p: ConvParams): RowGeometry {
  const g = p.geo;
  return { inH: g.inH, outH: g.outH, kH: g.kH, strideH: g.strideH, dilH: g.dilH, padTop: g.padTop, kW: g.kW };
}

/**
 * A convolution reading `input` with `extra` added to its padding, as explicit
 * amounts (what SAME or VALID amounted to, plus `extra`); undefined when it
 * would not give the output's shape.
 */
export function convWithPadding<N extends NodeOf<"CONV_2D"> | NodeOf<"DEPTHWISE_CONV_2D">>(
  node: N, graph: Graph, p: ConvParams, input: number, extra: ExplicitPadding, filterSpatial: "OHWI" | "1HWO",
): { node: N; padding: ExplicitPadding } | undefined {
  const g = p.geo;
  const was = typeof node.options.padding === "object" ? node.options.padding : { top: g.padTop, bottom: g.padBottomExtra, left: g.padLeft, right: g.padRightExtra };
  const padding: ExplicitPadding = { top: was.top + extra.top, bottom: was.bottom + extra.bottom, left: was.left + extra.left, right: was.right + extra.right };
  const folded = { ...node, inputs: [input, ...node.inputs.slice(1)], options: { ...node.options, padding } };
  const geo = convGeometry(graph, input, node.inputs[1]!, folded.options, filterSpatial);
  const out = tensorOf(graph, node.outputs[0]!).shape;
  const same = geo.outH === out[1] && geo.outW === out[2] && elementCount(out) === geo.batches * geo.outH * geo.outW * geo.outC;
  return same ? { node: folded, padding } : undefined;
}

export const conv2d: OpModule<"CONV_2D", ConvParams> = {
  kind: "CONV_2D",

  parseOptions(t, site) {
    return parseConvOptions(t, fb.Conv2DOptions, site);
  },

  writeOptions(b, o) {
    const f = fb.Conv2DOptions;
    return optionsTable(b, fb.BuiltinOptionsType.Conv2DOptions, [
      { id: f.padding, i8: paddingCode(o.padding) }, { id: f.strideW, i32: o.strideW }, { id: f.strideH, i32: o.strideH },
      { id: f.activation, i8: activationCode(o.activation) }, { id: f.dilationW, i32: o.dilationW, def: 1 }, { id: f.dilationH, i32: o.dilationH, def: 1 },
    ]);
  },

  validate(node, graph, bag, site) {
    const ops = validateConvOperands(node, graph, bag, site, 0);
    if (!ops) return;
    const { inId, fId, outId, filter, inC, outC } = ops;
    if (filter.shape[3] !== inC) {
      bag.add("TC115", "grouped", { filterChannels: filter.shape[3]!, inputChannels: inC }, { ...site, tensor: filter.name });
      return;
    }
    const g = convGeometry(graph, inId, fId, node.options, "OHWI");
    expectShape(graph, outId, [g.batches, g.outH, g.outW, outC], "output", bag, site);
  },

  prepare(node, graph) {
    const [inId, fId] = node.inputs as number[];
    const outId = node.outputs[0]!;
    const geo = convGeometry(graph, inId!, fId!, node.options, "OHWI");
    return { geo, ...requantFor(graph, inId!, tensorOf(graph, fId!), outId, geo.outC, node.options.activation) };
  },

  evaluate(node, graph, p, [input, filter]) {
    const g = p.geo;
    const biasId = node.inputs[2] ?? -1;
    const bias = biasId >= 0 ? constInt32(tensorOf(graph, biasId)) : new Int32Array(g.outC);
    const out = new Int8Array(g.batches * g.outH * g.outW * g.outC);
    for (let b = 0; b < g.batches; b++) {
      for (let oy = 0; oy < g.outH; oy++) {
        const iy0 = oy * g.strideH - g.padTop;
        for (let ox = 0; ox < g.outW; ox++) {
          const ix0 = ox * g.strideW - g.padLeft;
          for (let oc = 0; oc < g.outC; oc++) {
            let acc = 0;
            for (let ky = 0; ky < g.kH; ky++) {
              const iy = iy0 + ky * g.dilH;
              if (iy < 0 || iy >= g.inH) continue;
              for (let kx = 0; kx < g.kW; kx++) {
                const ix = ix0 + kx * g.dilW;
                if (ix < 0 || ix >= g.inW) continue;
                const inBase = ((b * g.inH + iy) * g.inW + ix) * g.inC;
                const fBase = ((oc * g.kH + ky) * g.kW + kx) * g.inC;
                for (let ic = 0; ic < g.inC; ic++) acc += filter![fBase + ic]! * (input![inBase + ic]! + p.inputOffset);
              }
            }
            acc = multiplyByQuantizedMultiplier((acc + bias[oc]!) | 0, p.multiplier[oc]!, p.shift[oc]!) + p.outputOffset;
            out[((b * g.outH + oy) * g.outW + ox) * g.outC + oc] = acc < p.actMin ? p.actMin : acc > p.actMax ? p.actMax : acc;
          }
        }
      }
    }
    return out;
  },

  macs(node, graph) {
    const filter = tensorOf(graph, node.inputs[1]!);
    return elementCount(tensorOf(graph, node.outputs[0]!).shape) * filter.shape[1]! * filter.shape[2]! * filter.shape[3]!;
  },

  rows: (_node, _graph, p) => convRows(p),
  withPadding: (node, graph, p, input, extra) => convWithPadding(node, graph, p, input, extra, "OHWI"),
};

export type Conv2DNode = NodeOf<"CONV_2D">;
