/**
 * The DSP family's pair-stream convolution (tinyc_dsp_conv2d_pairs*_s8 in
 * templates/c/dsp/tinyc_dsp_conv2d_pairs.c; layouts in tinyc_dsp.h): a window's
 * taps packed into pair words without padding rows to words, blocks of four
 * pixels by pairs of channels, and per pair one stream of flash words (bias
 * words, filter words, multipliers) that a single pointer walks. Its
 * requantization takes 256 times the accumulator, so it serves the layers
 * whose accumulators stay within 2^23 and whose shifts are right shifts of 1
 * to 17 (pairsLimit); the others run tinyc_dsp_conv2d*_s8.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { WindowGeometry } from "../../compiler/ops/shapes.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, windowSpan, type AccessSteps } from "../access.js";

/** Little-endian int32 of four bytes. */
const word = (b0: number, b1: number, b2: number, b3: number) => (b0 & 0xff) | ((b1 & 0xff) << 8) | ((b2 & 0xff) << 16) | ((b3 & 0xff) << 24);

/** A window row's pair words: `full` words of four bytes (two pair words each), a three-byte tail's (0, 2) word, `singles` taps left over. */
export interface PairLayout {
  readonly full: number;
  readonly tail3: boolean;
  readonly singles: number;
  readonly rowWords: number;
  /** The window's pair words. */
  readonly words: number;
}

export function pairLayout(kH: number, kW: number, inC: number): PairLayout {
  const run = kW * inC, rest = run % 4, full = Math.floor(run / 4), tail3 = rest === 3;
  const singles = tail3 ? 1 : rest, rowWords = 2 * full + (tail3 ? 1 : 0);
  return { full, tail3, singles, rowWords, words: kH * rowWords + Math.ceil((kH * singles) / 2) };
}

/** Each pair word's two taps (index into a channel's kH * kW * inC taps, OHWI), -1 for a lane no tap fills. */
export function pairWordTaps(kH: number, kW: number, inC: number): [number, number][] {
  const l = pairLayout(kH, kW, inC), run = kW * inC, head = 4 * l.full;
  const taps: [number, number][] = Array.from({ length: l.words }, () => [-1, -1]);
  for (let ky = 0; ky < kH; ky++) {
    const base = ky * l.rowWords, t = (pos: number) => ky * run + pos;
    for (let i = 0; i < l.full; i++) {
      taps[base + 2 * i] = [t(4 * i), t(4 * i + 2)];
      taps[base + 2 * i + 1] = [t(4 * i + 1), t(4 * i + 3)];
    }
    if (l.tail3) taps[base + 2 * l.full] = [t(head), t(head + 2)];
    for (let s = 0; s < l.singles; s++) {
      const left = ky * l.singles + s;
      taps[kH * l.rowWords + (left >> 1)]![left & 1] = t(head + (l.tail3 ? 1 : s));
    }
  }
  return taps;
}

/** Per computed channel what the stream holds besides the filter: its bias word (256 * folded bias + shift code e + 6) and multiplier. */
export interface PairChannel {
  readonly biasWord: number;
  readonly multiplier: number;
}

/** The largest TFLite right shift the kernel takes: (2 * offset + 1) * 2^(e + 6) stays within int32. */
const MAX_RIGHT = 17;

/**
 * Why the pair-stream kernel's arithmetic cannot serve channel c, or
 * undefined: TFLite's shift must be a right shift of 1 to MAX_RIGHT; 256
 * times the largest accumulator (|folded bias| + 128 * sum |w|) must fit in
 * int32, and so must the high word of its product plus the rounding term.
 */
function channelLimit(p: ConvParams, folded: number, absSum: number, c: number): string | undefined {
  const e = -p.shift[c]!;
  if (e < 1 || e > MAX_RIGHT) return `channel ${c}'s shift ${p.shift[c]} is not a right shift of 1 to ${MAX_RIGHT}`;
  const acc = Math.abs(folded) + 128 * absSum;
  if (256 * acc >= 2 ** 31) return `channel ${c}'s accumulator could reach ${acc}, beyond 2^23`;
  const hi = Math.floor((256 * acc * p.multiplier[c]!) / 2 ** 32) + 1;
  const k = 64 + Math.abs(2 * p.outputOffset + 1) * 2 ** (e + 6);
  if (hi + k + 128 >= 2 ** 31) return `channel ${c}'s requantization could leave int32`;
  return undefined;
}

/** The stream's per-channel words (constant channels, `constant[c]` set, have none), or why the kernel cannot take the layer. */
export function pairChannels(
  p: ConvParams, bias: Int32Array, sums: { sum: Int32Array; abs: Int32Array }, channels: number, constant: readonly (number | undefined)[],
): PairChannel[] | string {
  const out: PairChannel[] = [];
  for (let c = 0; c < channels; c++) {
    const folded = bias[c]! + p.inputOffset * sums.sum[c]!;
    const why = constant[c] === undefined ? channelLimit(p, folded, sums.abs[c]!, c) : undefined;
    if (why) return why;
    out.push({ biasWord: (folded * 256 + (-p.shift[c]! + 6)) | 0, multiplier: p.multiplier[c]! });
  }
  return out;
}

/**
 * The stream: per channel pair its bias words, its filter words (per pair
 * word (c0 a, c1 a, c0 b, c1 b)), its multipliers; then each constant
 * channel's output byte (`constants`, in order). `filter` is OHWI.
 */
export function pairStream(
  filter: Int8Array, taps: number, g: { kH: number; kW: number; inC: number }, pairs: readonly [number, number][], chans: readonly PairChannel[], constants: readonly number[],
): Int32Array {
  const wordTaps = pairWordTaps(g.kH, g.kW, g.inC);
  const w = (c: number, t: number) => (t < 0 ? 0 : filter[c * taps + t]!);
  const out: number[] = [];
  for (const [c0, c1] of pairs) {
    out.push(chans[c0]!.biasWord, chans[c1]!.biasWord);
    for (const [a, b] of wordTaps) out.push(word(w(c0, a), w(c1, a), w(c0, b), w(c1, b)));
    out.push(chans[c0]!.multiplier, chans[c1]!.multiplier);
  }
  out.push(...constants);
  // At least one word: a C array cannot be empty.
  return Int32Array.from(out.length > 0 ? out : [0]);
}

/**
 * Output pixels a block holds (tinyc_dsp_conv_params.block): eight (two
 * sub-blocks of four, every window read before any output written), four, or
 * one; past the last whole block, four pixels if as many are left, then each
 * pixel a block of one.
 */
export type PairBlock = 8 | 4 | 1;

/** Scratch the op's own tensors may be outweighed by before the kernel takes smaller blocks, at the least. */
const SCRATCH_FLOOR = 2048;

/** The blocks of output pixels, [first, last] in computing order (before reverse), as tinyc_dsp_conv2d_pairs*_s8 forms them. */
export function pairBlocks(pixels: number, block: PairBlock): [number, number][] {
  const blocks: [number, number][] = [];
  let first = 0;
  for (; block === 8 && first + 8 <= pixels; first += 8) blocks.push([first, first + 7]);
  for (; block !== 1 && first + 4 <= pixels; first += 4) blocks.push([first, first + 3]);
  for (; first < pixels; first++) blocks.push([first, first]);
  return blocks;
}

/** The scratch of blocks of `block` pixels: 16 bytes a word per four pixels. */
const scratchOf = (g: WindowGeometry, block: PairBlock) => 4 * block * pairLayout(g.kH, g.kW, g.inC).words;

/** Two blocks' access orders allow the same overlap margins. */
function sameMargins(g: WindowGeometry, a: PairBlock, b: PairBlock): boolean {
  const x = marginsOf(pairStepsOf(g, a)), y = marginsOf(pairStepsOf(g, b));
  return x.forward === y.forward && x.backward === y.backward;
}

/**
 * The layer's block: eight pixels (every window of a block read before any
 * output written: more pixels read first widen the overlap margins, as the
 * im2col kernel's blocks of eight did), four when that allows the same
 * margins with half the scratch, or four or one when eight pixels' scratch
 * would outweigh the op's input and output together (large windows over few
 * channels, as in keyword-spotting convolutions).
 */
export function pairBlock(g: WindowGeometry): PairBlock {
  const tensors = Math.max(SCRATCH_FLOOR, g.batches * (g.inH * g.inW * g.inC + g.outH * g.outW * g.outC));
  const fits = ([8, 4] as const).filter((b) => scratchOf(g, b) <= tensors && g.batches * g.outH * g.outW >= b);
  if (fits.length === 0) return 1;
  return fits.length === 2 && sameMargins(g, 8, 4) ? 4 : fits[0]!;
}

/** The kernel's scratch: one block's words (in whole 16-byte units, as the arena places buffers). */
export function pairScratch(g: WindowGeometry): number {
  return Math.ceil(scratchOf(g, pairBlock(g)) / 16) * 16;
}

/** Input byte range [lo, hi] the window of output pixel `pix` reads; NONE when all padding. */
function windowRange(g: WindowGeometry, pix: number): [number, number] {
  const ox = pix % g.outW, oy = Math.floor(pix / g.outW) % g.outH, b = Math.floor(pix / (g.outW * g.outH));
  const [y0, y1] = windowSpan(oy, g.strideH, g.padTop, g.kH, g.dilH, g.inH);
  const [x0, x1] = windowSpan(ox, g.strideW, g.padLeft, g.kW, g.dilW, g.inW);
  if (y0 < 0 || x0 < 0) return [NONE_LO, NONE_HI];
  return [((b * g.inH + y0) * g.inW + x0) * g.inC, ((b * g.inH + y1) * g.inW + x1) * g.inC + g.inC - 1];
}

/**
 * The kernel's steps (whole tensors: the outputs of a block lie equally far
 * apart): per block every window read, then its outputs written.
 */
export function pairSteps(g: WindowGeometry): AccessSteps {
  return pairStepsOf(g, pairBlock(g));
}

function pairStepsOf(g: WindowGeometry, block: PairBlock): AccessSteps {
  const blocks = pairBlocks(g.batches * g.outH * g.outW, block);
  return accessSteps(blocks.map(([first, last]) => {
    let lo = NONE_LO, hi = NONE_HI;
    for (let pix = first; pix <= last; pix++) {
      const [l, h] = windowRange(g, pix);
      lo = Math.min(lo, l);
      hi = Math.max(hi, h);
    }
    return [lo, hi, first * g.outC, (last + 1) * g.outC - 1] as const;
  }));
}
