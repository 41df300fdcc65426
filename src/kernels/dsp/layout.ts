/**
 * What the DSP kernels read from flash, laid out at compile time in exactly
 * their read order (templates/c/dsp/tinyc_dsp.h): filters packed as 32-bit
 * words, the input zero point folded into the bias, and the checks that the
 * kernels' shortened arithmetic stays exact for these weights.
 */
import type { Graph, Node } from "../../compiler/ir.js";
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import { constInt32, constInt8, tensorOf } from "../../compiler/ops/common.js";

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
 * The matrix kernel's filter: each output channel's taps in the layout above
 * (zeros for padding taps), as 32-bit words. `filter` is OHWI:
 * [channels][kH * kW * inC].
 */
export function matrixFilterWords(filter: Int8Array, channels: number, kH: number, kW: number, inC: number): Int32Array {
  const { rowTaps, depth } = matrixLayout(kH, kW, inC), run = kW * inC, taps = kH * run;
  const at = (c: number, k: number) => {
    const ky = Math.floor(k / rowTaps), r = k % rowTaps;
    return ky < kH && r < run ? filter[c * taps + ky * run + r]! : 0;
  };
  const out = new Int32Array(channels * (depth / 4));
  let i = 0;
  for (let c = 0; c < channels; c++) {
    for (let g = 0; g < depth; g += 4) out[i++] = word(at(c, g), at(c, g + 1), at(c, g + 2), at(c, g + 3));
  }
  return out;
}

/**
 * The depthwise 3x3 kernel's filter: per output channel the words
 * [w(0,0), w(0,1), w(1,0), w(1,1)] and [w(0,2), w(2,0), w(1,2), w(2,1)], then
 * w(2,2) of every channel as bytes. TFLite's depthwise filter is [1, 3, 3, C].
 */
export function depthwise3x3FilterWords(filter: Int8Array, channels: number): Int32Array {
  const w = (ky: number, kx: number, c: number) => filter[(ky * 3 + kx) * channels + c]!;
  const out = new Int32Array(2 * channels + Math.ceil(channels / 4));
  for (let c = 0; c < channels; c++) {
    out[2 * c] = word(w(0, 0, c), w(0, 1, c), w(1, 0, c), w(1, 1, c));
    out[2 * c + 1] = word(w(0, 2, c), w(2, 0, c), w(1, 2, c), w(2, 1, c));
  }
  const corner = new Uint8Array(out.buffer, 8 * channels);
  for (let c = 0; c < channels; c++) corner[c] = w(2, 2, c) & 0xff;
  return out;
}

/**
 * The per-channel requantization tables: (bias + input offset * sum of the
 * channel's taps, multiplier) pairs, wrapping like int32, and int8 shift
 * codes (tinyc_dsp.h). A channel takes tinyc_dsp_requantize_right (code e,
 * bias doubled) when it shifts right by e >= 1, the clamp is [-128, 127] and
 * twice its largest accumulator fits in 32 bits; else TFLite's shift - 64.
 */
export interface QuantTables {
  readonly biasMult: Int32Array;
  readonly shift: Int8Array;
}

export function quantTables(p: ConvParams, bias: Int32Array, sums: { sum: Int32Array; abs: Int32Array }, channels: number): QuantTables {
  const fullClamp = p.actMin === -128 && p.actMax === 127;
  const biasMult = new Int32Array(2 * channels), shift = new Int8Array(channels);
  for (let c = 0; c < channels; c++) {
    const e = -p.shift[c]!, acc2 = 2 * (Math.abs(bias[c]!) + 255 * sums.abs[c]!);
    // e >= 1; the rounding term 2^(e-1) on top of |y| <= |acc| < 2^30 cannot overflow.
    const right = fullClamp && e >= 1 && e <= 31 && acc2 < 2 ** 31;
    const folded = BigInt(bias[c]!) + BigInt(p.inputOffset) * BigInt(sums.sum[c]!);
    biasMult[2 * c] = Number(BigInt.asIntN(32, right ? 2n * folded : folded));
    biasMult[2 * c + 1] = p.multiplier[c]!;
    shift[c] = right ? e : p.shift[c]! - 64;
  }
  return { biasMult, shift };
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
