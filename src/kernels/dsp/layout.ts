/**
 * What the DSP kernels read from flash, laid out at compile time in exactly
 * their read order (templates/c/dsp/tinyc_dsp.h): filters packed as 32-bit
 * words, the input zero point folded into the bias, and the checks that the
 * kernels' shortened arithmetic stays exact for these weights.
 */
import type { Graph, Node } from "../../compiler/ir.js";
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import { constInt32, constInt8, tensorOf } from "../../compiler/ops/common.js";
import { multiplyByQuantizedMultiplier } from "../../compiler/numerics/fixedpoint.js";

/** Little-endian int32 of four bytes. */
const word = (b0: number, b1: number, b2: number, b3: number) => (b0 & 0xff) | ((b1 & 0xff) << 8) | ((b2 & 0xff) << 16) | ((b3 & 0xff) << 24);

/** The filter of a convolution: [outC][taps] int8 (OHWI flattened), and the bias (zeros when absent). */
export function convOperands(node: Node, graph: Graph): { filter: Int8Array; bias: Int32Array; taps: number; channels: number } {
  const [, fId, bId = -1] = node.inputs as number[];
  const f = tensorOf(graph, fId!);
  const filter = constInt8(f);
  const channels = f.shape[0]!;
  const bias = bId >= 0 ? constInt32(tensorOf(graph, bId)) : new Int32Array(channels);
  return { filter, bias, taps: filter.length / channels, channels };
}

/**
 * The matrix kernel's tap layout: each window row's kW * inC taps padded with
 * zero weights to a multiple of 4 (so a row inside the image expands a word at
 * a time), the rows then padded to a multiple of 8 taps (its step).
 */
export interface MatrixLayout {
  readonly rowTaps: number;
  readonly depth: number;
}

export function matrixLayout(kH: number, kW: number, inC: number): MatrixLayout {
  const rowTaps = Math.ceil((kW * inC) / 4) * 4;
  return { rowTaps, depth: Math.ceil((kH * rowTaps) / 8) * 8 };
}

/**
 * The matrix kernel's channel pairs: the channels whose output is not
 * `constant`, two consecutive ones at a time, a last one alone paired with
 * itself (tinyc_dsp_conv2d.c computes it twice and stores the same byte).
 */
export function matrixPairs(channels: number, constant: readonly (number | undefined)[] = []): [number, number][] {
  const computed = Array.from({ length: channels }, (_, c) => c).filter((c) => constant[c] === undefined);
  return Array.from({ length: Math.ceil(computed.length / 2) }, (_, k) => [computed[2 * k]!, computed[2 * k + 1] ?? computed[2 * k]!]);
}

/**
 * The matrix kernel's filter: per channel pair (matrixPairs), per group of
 * four taps in the layout above (zeros for padding taps), the words
 * (c0 t0, c1 t0, c0 t2, c1 t2) and (c0 t1, c1 t1, c0 t3, c1 t3), leaving out
 * the channels whose output is `constant`. `filter` is OHWI:
 * [channels][kH * kW * inC].
 */
export function matrixFilterWords(filter: Int8Array, channels: number, kH: number, kW: number, inC: number, constant: readonly (number | undefined)[] = []): Int32Array {
  const { rowTaps, depth } = matrixLayout(kH, kW, inC), run = kW * inC, taps = kH * run;
  const at = (c: number, k: number) => {
    const ky = Math.floor(k / rowTaps), r = k % rowTaps;
    return ky < kH && r < run ? filter[c * taps + ky * run + r]! : 0;
  };
  const pairs = matrixPairs(channels, constant);
  // At least one word: a C array cannot be empty (a layer of constant channels reads none).
  const out = new Int32Array(Math.max(1, pairs.length * (depth / 2)));
  let i = 0;
  for (const [c0, c1] of pairs) {
    for (let g = 0; g < depth; g += 4) {
      out[i++] = word(at(c0, g), at(c1, g), at(c0, g + 2), at(c1, g + 2));
      out[i++] = word(at(c0, g + 1), at(c1, g + 1), at(c0, g + 3), at(c1, g + 3));
    }
  }
  return out;
}

/**
 * The depthwise kernel's filter: for each group of four channels, for each
 * tap, the weights of its channels in order (one word, which the kernel
 * widens to the int16 lanes (2 w0, 2 w2), (w1, w3)); then each channel left
 * over, its taps in order.
 * TFLite's depthwise filter is [1, kH, kW, C] (taps outer).
 */
export function depthwiseFilterLanes(filter: Int8Array, channels: number, taps: number): Int8Array {
  const w = (t: number, c: number) => filter[t * channels + c]!;
  const quads = Math.floor(channels / 4);
  const out = new Int8Array(Math.max(1, taps * channels));
  let i = 0;
  for (let q = 0; q < quads; q++) {
    for (let t = 0; t < taps; t++) for (let c = 0; c < 4; c++) out[i++] = w(t, 4 * q + c);
  }
  for (let c = 4 * quads; c < channels; c++) for (let t = 0; t < taps; t++) out[i++] = w(t, c);
  return out;
}

/**
 * The output byte of each channel whose every output is that byte whatever
 * the input (a channel whose bias drives it into its activation's clamp, as
 * pruned and dead ReLU channels do), else undefined. The requantization is
 * monotonic in the accumulator, so the two extremes the accumulator can reach
 * (each input byte anywhere in [-128, 127]; padding adds nothing) decide.
 */
export function constantOutputs(p: ConvParams, bias: Int32Array, filter: Int8Array, channels: number, taps: number, channelMajor: boolean): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  const requantize = (acc: number, c: number) =>
    Math.min(p.actMax, Math.max(p.actMin, multiplyByQuantizedMultiplier(acc, p.multiplier[c]!, p.shift[c]!) + p.outputOffset));
  for (let c = 0; c < channels; c++) {
    let lo = bias[c]!, hi = bias[c]!;
    for (let k = 0; k < taps; k++) {
      const w = filter[channelMajor ? c * taps + k : k * channels + c]!;
      const a = w * (-128 + p.inputOffset), b = w * (127 + p.inputOffset);
      lo += Math.min(a, b, 0);
      hi += Math.max(a, b, 0);
    }
    const inRange = lo >= -(2 ** 31) && hi < 2 ** 31;
    const y = inRange ? requantize(lo, c) : undefined;
    out.push(y !== undefined && y === requantize(hi, c) ? y : undefined);
  }
  return out;
}

/**
 * The per-channel requantization tables: (bias + input offset * sum of the
 * channel's taps, multiplier) pairs, wrapping like int32, and int8 shift
 * codes (tinyc_dsp.h). A channel takes tinyc_dsp_requantize_right (code e,
 * bias doubled, then the activation's clamp) when it shifts right by e >= 1
 * and twice its largest accumulator fits in 32 bits; else TFLite's shift - 64.
 * A channel with a constant output has code 0 and its output byte in place of
 * the bias (its filter words are left out).
 */
export interface QuantTables {
  readonly biasMult: Int32Array;
  readonly shift: Int8Array;
  /** tinyc_dsp_rounding(e, output offset) per right-shift channel, else 0. */
  readonly rounding: Int32Array;
}

/** tinyc_dsp_h's TINYC_DSP_FOLD_MAX: the largest right shift whose rounding term carries the output offset. */
export const FOLD_MAX = 22;

export function quantTables(
  p: ConvParams, bias: Int32Array, sums: { sum: Int32Array; abs: Int32Array }, channels: number, constant: readonly (number | undefined)[] = [],
  maxRight = 31,
): QuantTables {
  const biasMult = new Int32Array(2 * channels), shift = new Int8Array(channels), rounding = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const e = -p.shift[c]!, acc2 = 2 * (Math.abs(bias[c]!) + 255 * sums.abs[c]!);
    // e >= 1; the rounding term 2^(e-1) on top of |y| <= |acc| < 2^30 cannot overflow.
    const right = e >= 1 && e <= maxRight && acc2 < 2 ** 31;
    const folded = BigInt(bias[c]!) + BigInt(p.inputOffset) * BigInt(sums.sum[c]!);
    biasMult[2 * c] = Number(BigInt.asIntN(32, right ? 2n * folded : folded));
    biasMult[2 * c + 1] = p.multiplier[c]!;
    shift[c] = right ? e : p.shift[c]! - 64;
    if (right) rounding[c] = 2 ** (e - 1) + (e <= FOLD_MAX ? p.outputOffset * 2 ** e : 0);
    if (constant[c] !== undefined) {
      biasMult[2 * c] = constant[c]!;
      shift[c] = 0;
    }
  }
  return { biasMult, shift, rounding };
}

/**
 * Why the kernels' arithmetic could differ from TFLite's for these weights,
 * or undefined. The requantization's rounding shift by e adds 2^(e-1) to the
 * high product y, which must not pass 2^31 - 1 for the largest accumulator
 * the channel can reach (|bias| + 255 * sum |w|); the matrix kernel's
 * 256-scaled sums (`scaled`) need 128 * 256 * sum |w| below 2^31.
 */
export function arithmeticLimit(p: ConvParams, bias: Int32Array, absSum: (c: number) => number, channels: number, scaled: boolean): string | undefined {
  for (let c = 0; c < channels; c++) {
    const s = absSum(c), shift = p.shift[c]!;
    if (shift < -31) return `channel ${c}'s requantization shift ${shift} is below -31`;
    if (shift < 0) {
      const acc = BigInt(Math.abs(bias[c]!) + 255 * s);
      const y = (acc * BigInt(p.multiplier[c]!) + (1n << 30n)) >> 31n;
      if (y + (1n << BigInt(-shift - 1)) > 2n ** 31n - 1n) return `channel ${c}'s accumulator could reach ${acc}, beyond the DSP requantization's range`;
    }
    if (scaled && 128 * 256 * s >= 2 ** 31) return `channel ${c}'s weights sum to ${s} in magnitude, beyond the 256-scaled sums' range`;
  }
  return undefined;
}

/** Sum and sum of magnitudes of channel c's weights, for a [taps][channels]-strided or [channels][taps] filter. */
export function channelSums(filter: Int8Array, channels: number, taps: number, channelMajor: boolean): { sum: Int32Array; abs: Int32Array } {
  const sum = new Int32Array(channels), abs = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    for (let k = 0; k < taps; k++) {
      const v = filter[channelMajor ? c * taps + k : k * channels + c]!;
      sum[c] += v;
      abs[c] += Math.abs(v);
    }
  }
  return { sum, abs };
}
