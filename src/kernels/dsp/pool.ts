/**
 * The DSP family's AVERAGE_POOL_2D (templates/c/dsp/tinyc_dsp_pool.c): four
 * channels a word at a time, their window sums in int16 lanes, TFLite's
 * rounding division as one multiply per output.
 */
import type { PoolParams } from "../../compiler/ops/pool.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, windowSpan, type AccessSteps } from "../access.js";
import { rowsCall } from "../rows.js";
import type { EmitContext, KernelOp, OpKernel, OverlapCapability } from "../types.js";

/** Window rows the kernel keeps pointers for, and cells whose sum of int8 values stays within an int16 lane. */
export const POOL_MAX_ROWS = 16;
export const POOL_MAX_CELLS = 256;

/** The kernel's channel groups of a pixel: four at a time, then one at a time, as [first, last]. */
export function poolGroups(channels: number): [number, number][] {
  const groups: [number, number][] = [];
  let c = 0;
  for (; c + 4 <= channels; c += 4) groups.push([c, c + 3]);
  for (; c < channels; c++) groups.push([c, c]);
  return groups;
}

/** The kernel's steps: per output pixel, per channel group, the group's window read, then its outputs written. */
export function poolSteps(p: PoolParams): AccessSteps {
  const groups = poolGroups(p.channels), steps: [number, number, number, number][] = [];
  for (let pix = 0; pix < p.batches * p.outH * p.outW; pix++) {
    const ox = pix % p.outW, oy = Math.floor(pix / p.outW) % p.outH, b = Math.floor(pix / (p.outW * p.outH));
    const [y0, y1] = windowSpan(oy, p.strideH, p.padTop, p.kH, 1, p.inH);
    const [x0, x1] = windowSpan(ox, p.strideW, p.padLeft, p.kW, 1, p.inW);
    const lo = ((b * p.inH + y0) * p.inW + x0) * p.channels, hi = ((b * p.inH + y1) * p.inW + x1) * p.channels;
    for (const [c0, c1] of groups) {
      const empty = y0 < 0 || x0 < 0;
      steps.push([empty ? NONE_LO : lo + c0, empty ? NONE_HI : hi + c1, pix * p.channels + c0, pix * p.channels + c1]);
    }
  }
  return accessSteps(steps);
}

function poolStruct(ctx: EmitContext, index: number, p: PoolParams): string {
  return ctx.struct(`op${index}_params`, "tinyc_dsp_pool_params", {
    batches: p.batches, in_h: p.inH, in_w: p.inW, channels: p.channels, out_h: p.outH, out_w: p.outW,
    k_h: p.kH, k_w: p.kW, stride_h: p.strideH, stride_w: p.strideW, pad_top: p.padTop, pad_left: p.padLeft,
    act_min: p.actMin, act_max: p.actMax, reverse: ctx.reverse ? 1 : 0, out_stride: ctx.outputPixelStride ?? p.channels,
  });
}

export const averagePool2d: OpKernel<PoolParams> = {
  unsupported({ params: p }) {
    if (p.kH > POOL_MAX_ROWS) return `the DSP family's average pool takes windows of up to ${POOL_MAX_ROWS} rows`;
    if (p.kH * p.kW > POOL_MAX_CELLS) return `the DSP family's average pool sums up to ${POOL_MAX_CELLS} cells in int16 lanes`;
    return undefined;
  },
  overlap({ params: p }: KernelOp<PoolParams>): OverlapCapability[] {
    const m = marginsOf(poolSteps(p));
    return [{ input: 0, option: "overlap", forward: m.forward, backward: m.backward }];
  },
  stridedOutput: () => true,
  ringRows: ({ params: p }) => p.batches === 1,
  emit({ node, params: p }, ctx) {
    const input = ctx.tensor(node.inputs[0]!), output = ctx.tensor(node.outputs[0]!);
    const entry = p.actMin === -128 && p.actMax === 127 ? "tinyc_dsp_avgpool2d_s8" : "tinyc_dsp_avgpool2d_clamp_s8";
    ctx.source("tinyc_dsp_pool.c");
    rowsCall(ctx, "tinyc_dsp_pool_params", poolStruct(ctx, node.index, p), (ps) => `${entry}(${ps}, ${input}, ${output})`);
  },
};
