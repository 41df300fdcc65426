/**
 * CMSIS-NN's scratch sizes (bytes), computed on the host with the target's
 * semantics (MVE on Helium cores, DSP otherwise), following
 * `*_get_buffer_size_{dsp,mve}` of the supported versions (identical for every
 * case tinyc emits). Where a size depends on the C compiler (Arm Compiler 6
 * uses a buffer for the 1x1 fast convolution and converts depthwise
 * convolutions with one input channel at another threshold than GCC), tinyc
 * reserves the larger, so the arena is safe with either compiler.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import type { PoolParams } from "../../compiler/ops/pool.js";
import type { Target } from "../../targets.js";

export const CH_IN_BLOCK_MVE = 124;
/** Depthwise with one input channel becomes a convolution above this many output channels (GCC: 1; Arm Compiler 6: 8). */
export const DW_ONE_IN_CH_THRESHOLD = 1;

interface ConvShape {
  readonly inC: number; readonly inH: number;
  readonly kH: number; readonly kW: number;
  readonly padTop: number; readonly padLeft: number;
  readonly strideH: number; readonly strideW: number;
  readonly dilH: number; readonly dilW: number;
  readonly outW: number; readonly inW: number;
}

/** The shape arm_convolve_wrapper_s8 dispatches on. */
export const is1x1 = (s: ConvShape) => s.padTop === 0 && s.padLeft === 0 && s.kH === 1 && s.kW === 1 && s.dilH === 1 && s.dilW === 1;
const is1xN = (s: ConvShape) => s.inH === 1 && s.dilW === 1 && s.kH === 1 && (s.strideW * s.inC) % 4 === 0;

function convolveS8Dsp(s: ConvShape): number {
  const cols = s.kW * s.kH * s.inC;
  return 2 * (Math.ceil(cols / 4) * 4) * 2;
}

function convolveS8Mve(s: ConvShape): number {
  return 4 * Math.ceil((s.inC * s.kW * s.kH) / 16) * 16;
}

function convolve1xNMve(s: ConvShape): number {
  const totalPad = (s.outW - 1) * s.strideW + s.kW - s.inW;
  const asymPad = totalPad % 2;
  const right = s.padLeft + asymPad !== 0 ? Math.max(1, Math.trunc((s.padLeft + asymPad + s.strideW - 1) / s.strideW)) : 0;
  const left = s.padLeft !== 0 ? Math.max(1, Math.trunc((s.padLeft + s.strideW - 1) / s.strideW)) : 0;
  const noPad = Math.max(s.outW - (right + left), 0);
  if (right + noPad + left !== s.outW) return convolveS8Mve(s);
  const padLeftSize = s.padLeft * s.inC;
  const padRightSize = asymPad ? right * s.inC : padLeftSize;
  const left2 = s.kW * s.inC;
  return Math.max(left2 + padLeftSize, left2 - s.inC + padRightSize);
}

function convWrapperBytes(s: ConvShape, t: Target): number {
  if (is1x1(s)) {
    // arm_convolve_1x1_s8_fast: 4 * in_ch bytes under Arm Compiler 6 with DSP (none under GCC or MVE).
    return s.strideH === 1 && s.strideW === 1 && t.dsp && !t.mve ? 2 * s.inC * 2 : 0;
  }
  if (is1xN(s)) return t.mve ? convolve1xNMve(s) : convolveS8Dsp(s);
  return t.mve ? convolveS8Mve(s) : convolveS8Dsp(s);
}

export function convShape(p: ConvParams): ConvShape {
  const g = p.geo;
  return {
    inC: g.inC, inH: g.inH, inW: g.inW, kH: g.kH, kW: g.kW, padTop: g.padTop, padLeft: g.padLeft,
    strideH: g.strideH, strideW: g.strideW, dilH: g.dilH, dilW: g.dilW, outW: g.outW,
  };
}

export function convScratchBytes(p: ConvParams, t: Target): number {
  return convWrapperBytes(convShape(p), t);
}

export function depthwiseScratchBytes(p: DepthwiseParams, t: Target): number {
  const g = p.geo;
  const plain = g.inC === g.outC && g.batches === 1 && g.dilH === 1 && g.dilW === 1;
  if (t.mve) {
    let size = plain ? 4 * CH_IN_BLOCK_MVE * g.kW * g.kH : 0;
    if (g.inC === 1 && g.outC > DW_ONE_IN_CH_THRESHOLD) {
      // Converted to a convolution with the filter transposed into the scratch buffer.
      size = Math.max(size, convWrapperBytes({ ...convShape(p), inC: 1 }, t) + g.outC * g.kH * g.kW);
    }
    return size;
  }
  if (!t.dsp || !plain) return 0;
  if (g.kW === 3 && g.kH === 3 && g.padTop <= 1 && g.padLeft <= 1) return 0;
  return g.inC * g.kW * g.kH * 2;
}

export function avgpoolScratchBytes(p: PoolParams, t: Target): number {
  return t.dsp && !t.mve ? p.channels * 4 : 0;
}
