/**
 * The DSP family's CONV_2D (every kernel size, stride, dilation and padding)
 * and DEPTHWISE_CONV_2D (3x3, dilation 1, any stride and depth multiplier):
 * templates/c/dsp/tinyc_dsp_conv2d.c and tinyc_dsp_depthwise3x3.c.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import type { WindowGeometry } from "../../compiler/ops/shapes.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, windowSpan, type AccessSteps } from "../access.js";
import type { EmitContext, KernelOp, OpKernel, OverlapCapability } from "../types.js";
import {
  arithmeticLimit, channelSums, convOperands, depthwise3x3FilterWords, matrixFilterWords, matrixLayout, quantTables,
  type MatrixLayout, type QuantTables,
} from "./layout.js";

/** The tinyc_dsp_conv_params struct. */
function paramsStruct(p: ConvParams, layout: MatrixLayout, depthMultiplier: number, band: number, ctx: EmitContext): Record<string, number> {
  const g = p.geo;
  return {
    batches: g.batches, in_h: g.inH, in_w: g.inW, in_c: g.inC, out_h: g.outH, out_w: g.outW, out_c: g.outC,
    k_h: g.kH, k_w: g.kW, stride_h: g.strideH, stride_w: g.strideW, dil_h: g.dilH, dil_w: g.dilW,
    pad_top: g.padTop, pad_left: g.padLeft, depth: layout.depth, depth_multiplier: depthMultiplier,
    input_zero_point: -p.inputOffset, output_offset: p.outputOffset, act_min: p.actMin, act_max: p.actMax,
    reverse: ctx.reverse ? 1 : 0, row_taps: layout.rowTaps, band, out_stride: ctx.outputPixelStride ?? g.outC,
  };
}

/** The tinyc_dsp_quant struct: folded bias and multiplier pairs, int8 shifts. */
function quantStruct(ctx: EmitContext, index: number, q: QuantTables): string {
  const bm = ctx.table(`op${index}_bias_mult`, "int32_t", q.biasMult);
  const shift = ctx.table(`op${index}_shift`, "int8_t", q.shift);
  return ctx.struct(`op${index}_quant`, "tinyc_dsp_quant", { bias_mult: bm, shift, high_bytes: "TINYC_HIGH_BYTES" });
}

/** Input byte range [lo, hi] the window of output pixel `pix` reads over channels [c0, c1]; NONE when all padding. */
function windowRange(g: WindowGeometry, pix: number, c0: number, c1: number): [number, number] {
  const ox = pix % g.outW, oy = Math.floor(pix / g.outW) % g.outH, b = Math.floor(pix / (g.outW * g.outH));
  const [y0, y1] = windowSpan(oy, g.strideH, g.padTop, g.kH, g.dilH, g.inH);
  const [x0, x1] = windowSpan(ox, g.strideW, g.padLeft, g.kW, g.dilW, g.inW);
  if (y0 < 0 || x0 < 0) return [NONE_LO, NONE_HI];
  return [((b * g.inH + y0) * g.inW + x0) * g.inC + c0, ((b * g.inH + y1) * g.inW + x1) * g.inC + c1];
}

/** Output pixels the matrix kernel computes at once. */
export const MATRIX_PIXELS = 4;

/** The matrix kernel's steps: per quad of output pixels, every window read, then the quad's outputs written. */
function matrixSteps(g: WindowGeometry): AccessSteps {
  const pixels = g.batches * g.outH * g.outW, quads = Math.ceil(pixels / MATRIX_PIXELS);
  const s = { readLo: new Int32Array(quads), readHi: new Int32Array(quads), writeLo: new Int32Array(quads), writeHi: new Int32Array(quads) };
  for (let i = 0; i < quads; i++) {
    const first = MATRIX_PIXELS * i, last = Math.min(first + MATRIX_PIXELS, pixels) - 1;
    let lo = NONE_LO, hi = NONE_HI;
    for (let pix = first; pix <= last; pix++) {
      const [l, h] = windowRange(g, pix, 0, g.inC - 1);
      lo = Math.min(lo, l);
      hi = Math.max(hi, h);
    }
    s.readLo[i] = lo;
    s.readHi[i] = hi;
    s.writeLo[i] = first * g.outC;
    s.writeHi[i] = (last + 1) * g.outC - 1;
  }
  return s;
}

export const conv2d: OpKernel<ConvParams> = {
  unsupported(op) {
    const { filter, bias, taps, channels } = convOperands(op.node, op.graph);
    const { abs } = channelSums(filter, channels, taps, true);
    return arithmeticLimit(op.params, bias, (c) => abs[c]!, channels, true);
  },
  scratchBytes: ({ params: { geo: g } }) => 2 * MATRIX_PIXELS * matrixLayout(g.kH, g.kW, g.inC).depth,
  overlap({ params: p }) {
    const m = marginsOf(matrixSteps(p.geo));
    return [{ input: 0, option: "overlap", forward: m.forward, backward: m.backward }];
  },
  stridedOutput: () => true,
  explicitPadding: () => true,
  emit({ node, graph, params: p }, ctx) {
    const { filter, bias, taps, channels } = convOperands(node, graph);
    const g = p.geo, i = node.index;
    const layout = matrixLayout(g.kH, g.kW, g.inC);
    const words = ctx.table(`op${i}_filter`, "int32_t", matrixFilterWords(filter, channels, g.kH, g.kW, g.inC));
    const tables = quantTables(p, bias, channelSums(filter, channels, taps, true), channels);
    const q = quantStruct(ctx, i, tables);
    const params = ctx.struct(`op${i}_params`, "tinyc_dsp_conv_params", paramsStruct(p, layout, 1, 0, ctx));
    ctx.source("tinyc_dsp_conv2d.c");
    ctx.body.line(`tinyc_dsp_conv2d_s8(&${params}, &${q}, ${ctx.tensor(node.inputs[0]!)}, (const uint32_t *)${words}, ${ctx.tensor(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()});`);
  },
};

/** Output rows per band of the depthwise kernel: one for rows of 16 outputs or more (the smallest overlap margin), else about 32 outputs per channel setup. */
export const depthwiseBand = (g: WindowGeometry) => (g.outW >= 16 ? 1 : Math.min(g.outH, Math.ceil(32 / g.outW)));

/**
 * The depthwise kernel's steps: per band of output rows, every window of the
 * band read (all channels), then the band's outputs written (copied from the
 * scratch where the kernel computed them).
 */
function depthwiseSteps(g: WindowGeometry): AccessSteps {
  const band = depthwiseBand(g);
  const steps: [number, number, number, number][] = [];
  for (let b = 0; b < g.batches; b++) {
    for (let oy0 = 0; oy0 < g.outH; oy0 += band) {
      const oy1 = Math.min(oy0 + band, g.outH);
      let lo = NONE_LO, hi = NONE_HI;
      for (let oy = oy0; oy < oy1; oy++) {
        for (const ox of [0, g.outW - 1]) {
          const [l, h] = windowRange(g, (b * g.outH + oy) * g.outW + ox, 0, g.inC - 1);
          lo = Math.min(lo, l);
          hi = Math.max(hi, h);
        }
      }
      steps.push([lo, hi, (b * g.outH + oy0) * g.outW * g.outC, (b * g.outH + oy1) * g.outW * g.outC - 1]);
    }
  }
  return accessSteps(steps);
}

export const depthwiseConv2d: OpKernel<DepthwiseParams> = {
  unsupported(op) {
    const g = op.params.geo;
    if (g.kH !== 3 || g.kW !== 3 || g.dilH !== 1 || g.dilW !== 1) return "the DSP family's depthwise kernel is 3x3 with dilation 1";
    const { filter, bias, channels } = depthwiseOperands(op);
    const { abs } = channelSums(filter, channels, 9, false);
    return arithmeticLimit(op.params, bias, (c) => abs[c]!, channels, false);
  },
  scratchBytes: ({ params: { geo: g } }) => depthwiseBand(g) * g.outW * g.outC,
  overlap({ params: p }): OverlapCapability[] {
    const m = marginsOf(depthwiseSteps(p.geo));
    return [{ input: 0, option: "depthwise-inplace", forward: m.forward, backward: m.backward }];
  },
  stridedOutput: () => true,
  explicitPadding: () => true,
  emit(op, ctx) {
    const { node, params: p } = op;
    const { filter, bias, channels } = depthwiseOperands(op);
    const i = node.index;
    const words = ctx.table(`op${i}_filter`, "int32_t", depthwise3x3FilterWords(filter, channels));
    const tables = quantTables(p, bias, channelSums(filter, channels, 9, false), channels);
    const q = quantStruct(ctx, i, tables);
    const params = ctx.struct(`op${i}_params`, "tinyc_dsp_conv_params", paramsStruct(p, { rowTaps: 0, depth: 9 }, p.depthMultiplier, depthwiseBand(p.geo), ctx));
    ctx.source("tinyc_dsp_depthwise3x3.c");
    ctx.body.line(`tinyc_dsp_depthwise3x3_s8(&${params}, &${q}, ${ctx.tensor(node.inputs[0]!)}, (const int8_t *)${words}, ${ctx.tensor(node.outputs[0]!)}, (int8_t *)${ctx.scratch()});`);
  },
};

/** The depthwise filter [1, kH, kW, C] and bias. */
function depthwiseOperands({ node, graph, params }: KernelOp<DepthwiseParams>) {
  const { filter, bias } = convOperands(node, graph);
  const channels = params.geo.outC;
  return { filter, bias: bias.length === channels ? bias : new Int32Array(channels), channels };
}
