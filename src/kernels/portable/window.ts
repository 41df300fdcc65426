/**
 * tinyc's portable window kernels (convolution, depthwise convolution, pools):
 * their parameter structs (templates/c/portable/tinyc_kernels.h) and their
 * access order, from which the overlap margins follow. They compute one output
 * element at a time, output pixels in row-major order and within a pixel the
 * output channels in increasing order, and can run that order in reverse.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { PoolParams } from "../../compiler/ops/pool.js";
import type { WindowGeometry } from "../../compiler/ops/shapes.js";
import type { MemoryOption } from "../../memory_options.js";
import { marginsOf, NONE_HI, NONE_LO, windowSpan, type AccessSteps } from "../access.js";
import type { EmitContext, OverlapCapability } from "../types.js";

/** The tinyc_conv_params struct of the portable convolutions. */
export function convParamsStruct(p: ConvParams, depthMultiplier = 1, reverse = false, outStride = p.geo.outC): Record<string, number> {
  const g = p.geo;
  return {
    batches: g.batches, in_h: g.inH, in_w: g.inW, in_c: g.inC, out_h: g.outH, out_w: g.outW, out_c: g.outC,
    k_h: g.kH, k_w: g.kW, stride_h: g.strideH, stride_w: g.strideW, dil_h: g.dilH, dil_w: g.dilW,
    pad_top: g.padTop, pad_left: g.padLeft, depth_multiplier: depthMultiplier,
    input_offset: p.inputOffset, output_offset: p.outputOffset, act_min: p.actMin, act_max: p.actMax, reverse: reverse ? 1 : 0, out_stride: outStride,
  };
}

/** The tinyc_pool_params struct of the portable pools. */
export function poolStruct(ctx: EmitContext, index: number, p: PoolParams): string {
  return ctx.struct(`op${index}_params`, "tinyc_pool_params", {
    batches: p.batches, in_h: p.inH, in_w: p.inW, channels: p.channels, out_h: p.outH, out_w: p.outW,
    k_h: p.kH, k_w: p.kW, stride_h: p.strideH, stride_w: p.strideW, pad_top: p.padTop, pad_left: p.padLeft,
    act_min: p.actMin, act_max: p.actMax, reverse: ctx.reverse ? 1 : 0, out_stride: ctx.outputPixelStride ?? p.channels,
  });
}

/**
 * The steps of the portable window kernels: each output element reads the
 * window (clipped to the image) over input channels `channels(oc)` = [first,
 * last] and writes one byte.
 */
export function windowSteps(g: WindowGeometry, channels: (oc: number) => readonly [number, number]): AccessSteps {
  const n = g.batches * g.outH * g.outW * g.outC;
  const s = { readLo: new Int32Array(n), readHi: new Int32Array(n), writeLo: new Int32Array(n), writeHi: new Int32Array(n) };
  const ranges = Array.from({ length: g.outC }, (_, oc) => channels(oc));
  let t = 0;
  for (let b = 0; b < g.batches; b++) {
    for (let oy = 0; oy < g.outH; oy++) {
      const [y0, y1] = windowSpan(oy, g.strideH, g.padTop, g.kH, g.dilH, g.inH);
      for (let ox = 0; ox < g.outW; ox++) {
        const [x0, x1] = windowSpan(ox, g.strideW, g.padLeft, g.kW, g.dilW, g.inW);
        const empty = y0 < 0 || x0 < 0;
        const lo = ((b * g.inH + y0) * g.inW + x0) * g.inC, hi = ((b * g.inH + y1) * g.inW + x1) * g.inC;
        for (let oc = 0; oc < g.outC; oc++, t++) {
          const [c0, c1] = ranges[oc]!;
          s.readLo[t] = empty ? NONE_LO : lo + c0;
          s.readHi[t] = empty ? NONE_HI : hi + c1;
          s.writeLo[t] = s.writeHi[t] = t;
        }
      }
    }
  }
  return s;
}

/** A window kernel's capability: both directions. */
export function windowOverlap(g: WindowGeometry, option: MemoryOption, channels: (oc: number) => readonly [number, number]): OverlapCapability[] {
  const m = marginsOf(windowSteps(g, channels));
  return [{ input: 0, option, forward: m.forward, backward: m.backward }];
}
