/**
 * Where CMSIS-NN's kernels may write over their input: models of their access
 * order, read from the sources of both supported versions (identical in these
 * paths). Only the MVE paths (Cortex-M55) qualify; the DSP paths re-read the
 * whole input or gather im2col columns ahead of what they write.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import type { Target } from "../../targets.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, type AccessSteps } from "../access.js";
import type { OverlapCapability } from "../types.js";
import { CH_IN_BLOCK_MVE, convShape, DW_ONE_IN_CH_THRESHOLD, is1x1 } from "./scratch.js";

/**
 * Where CMSIS-NN's convolution may write over its input. Only the 1x1 stride-1
 * path on MVE (arm_convolve_1x1_s8_fast → arm_nn_mat_mult_nt_t_s8, the same code
 * in both supported versions): it takes the input four pixels at a time and,
 * for each output channel in turn, reads those four pixels whole and stores that
 * channel of the four outputs; leftover pixels go one at a time, their outputs
 * stored four channels at a time and the last channels at the end. It runs
 * forward only. The DSP path (Cortex-M4/M7) loops over output channels outside
 * the pixels, re-reading the whole input, and every other convolution gathers
 * im2col columns ahead of what it writes: no overlap there.
 */
export function convOverlap(p: ConvParams, t: Target): OverlapCapability[] {
  const g = p.geo;
  if (!t.mve || !is1x1(convShape(p)) || g.strideH !== 1 || g.strideW !== 1) return [];
  return [{ input: 0, option: "overlap", forward: marginsOf(matMultNtTMveSteps(g.batches * g.inH * g.inW, g.inC, g.outC)).forward }];
}

/** The access order of arm_nn_mat_mult_nt_t_s8's MVE path for `rows` pixels, `cols` input and `outs` output channels. */
export function matMultNtTMveSteps(rows: number, cols: number, outs: number): AccessSteps {
  const steps: [number, number, number, number][] = [];
  const full = rows - (rows % 4);
  for (let r = 0; r < full; r += 4) {
    for (let i = 0; i < outs; i++) steps.push([r * cols, (r + 4) * cols - 1, r * outs + i, (r + 3) * outs + i]);
  }
  for (let r = full; r < rows; r++) {
    for (let i = 0; i < outs; i++) {
      const store = i % 4 === 3;
      steps.push([r * cols, (r + 1) * cols - 1, store ? r * outs + i - 3 : NONE_LO, store ? r * outs + i : NONE_HI]);
    }
    if (outs % 4 !== 0) steps.push([NONE_LO, NONE_HI, r * outs + (outs - (outs % 4)), r * outs + outs - 1]);
  }
  return accessSteps(steps);
}

/**
 * Where CMSIS-NN's depthwise convolution may write over its input: the MVE
 * path of arm_depthwise_conv_s8_opt (depth multiplier 1, one batch, no
 * dilation; the same code in both supported versions). For each block of up to
 * 124 channels it copies the windows of four output pixels (row-major) into
 * its scratch buffer, then stores those four pixels' channels of the block
 * (predicated stores); leftover pixels are stored after the last copy. It runs
 * forward only. Other paths (DSP, depth multipliers, a single input channel
 * turned into a convolution) are not analysed: no overlap.
 */
export function depthwiseOverlap(p: DepthwiseParams, t: Target): OverlapCapability[] {
  const g = p.geo;
  const opt = t.mve && p.depthMultiplier === 1 && g.batches === 1 && g.dilH === 1 && g.dilW === 1 && !(g.inC === 1 && g.outC > DW_ONE_IN_CH_THRESHOLD);
  if (!opt) return [];
  return [{ input: 0, option: "depthwise-inplace", forward: marginsOf(depthwiseOptMveSteps(g)).forward }];
}

/** The access order of arm_depthwise_conv_s8_opt's MVE path (one batch, depth multiplier 1, no dilation). */
export function depthwiseOptMveSteps(g: DepthwiseParams["geo"]): AccessSteps {
  const steps: [number, number, number, number][] = [];
  const span = (o: number, stride: number, pad: number, k: number, size: number): [number, number] => [Math.max(0, o * stride - pad), Math.min(size - 1, o * stride - pad + k - 1)];
  const c = g.inC;
  for (let start = 0; start < c; start += CH_IN_BLOCK_MVE) {
    const active = Math.min(CH_IN_BLOCK_MVE, c - start);
    const group: number[] = [];
    const store = () => {
      if (group.length) steps.push([NONE_LO, NONE_HI, group[0]! * c + start, group[group.length - 1]! * c + start + active - 1]);
      group.length = 0;
    };
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const [y0, y1] = span(oy, g.strideH, g.padTop, g.kH, g.inH), [x0, x1] = span(ox, g.strideW, g.padLeft, g.kW, g.inW);
        const empty = y0 > y1 || x0 > x1;
        steps.push([empty ? NONE_LO : (y0 * g.inW + x0) * c + start, empty ? NONE_HI : (y1 * g.inW + x1) * c + start + active - 1, NONE_LO, NONE_HI]);
        group.push(oy * g.outW + ox);
        if (group.length === 4) store();
      }
    }
    store();
  }
  return accessSteps(steps);
}
