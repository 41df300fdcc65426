/**
 * The DSP family's CONV_2D and DEPTHWISE_CONV_2D (every kernel size, stride,
 * dilation and padding; depthwise with depth multiplier 1):
 * templates/c/dsp/tinyc_dsp_conv2d.c, tinyc_dsp_conv2d_pairs.c and tinyc_dsp_depthwise.c.
 */
import type { ConvParams } from "../../compiler/ops/conv2d.js";
import type { DepthwiseParams } from "../../compiler/ops/depthwise_conv2d.js";
import type { FullyConnectedParams } from "../../compiler/ops/fully_connected.js";
import { tensorOf } from "../../compiler/ops/common.js";
import type { WindowGeometry } from "../../compiler/ops/shapes.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, windowSpan, type AccessSteps } from "../access.js";
import { rowsCall } from "../rows.js";
import type { EmitContext, KernelOp, OpKernel, OverlapCapability } from "../types.js";
import { pairBlock, pairChannels, pairLayout, pairScratch, pairStream, pairSteps } from "./pairs.js";
import {
  arithmeticLimit, channelSums, constantOutputs, convOperands, depthwiseFilterLanes, FOLD_MAX, matrixFilterWords, matrixLayout, matrixPairs, quantTables,
  type MatrixLayout, type QuantTables,
} from "./layout.js";

/** The tinyc_dsp_conv_params struct. */
function paramsStruct(p: ConvParams, layout: MatrixLayout, ctx: EmitContext): Record<string, number> {
  const g = p.geo;
  return {
    batches: g.batches, in_h: g.inH, in_w: g.inW, in_c: g.inC, out_h: g.outH, out_w: g.outW, out_c: g.outC,
    k_h: g.kH, k_w: g.kW, stride_h: g.strideH, stride_w: g.strideW, dil_h: g.dilH, dil_w: g.dilW,
    pad_top: g.padTop, pad_left: g.padLeft, depth: layout.depth,
    input_zero_point: -p.inputOffset, output_offset: p.outputOffset, act_min: p.actMin, act_max: p.actMax,
    reverse: ctx.reverse ? 1 : 0, row_taps: layout.rowTaps, out_stride: ctx.outputPixelStride ?? g.outC,
  };
}

/** Every channel a right shift whose rounding term carries the output offset (or, matrix kernel, a constant: code 0): the kernels' fast entry points. */
const allRight = (q: QuantTables, depthwise: boolean) => q.shift.every((e) => e >= (depthwise ? 1 : 0) && e <= FOLD_MAX);

/** The fast entry points' suffix: SSAT alone is the clamp when the activation's is [-128, 127]. */
const clampSuffix = (p: ConvParams) => (p.actMin === -128 && p.actMax === 127 ? "" : "_clamp");

/**
 * The tinyc_dsp_quant struct: folded bias and multiplier pairs and int8
 * shifts, or (`fastDepthwise`, for tinyc_dsp_depthwise3x3_fast*_s8) only the
 * grouped table tinyc_dsp_quant.requant.
 */
function quantStruct(ctx: EmitContext, index: number, q: QuantTables, depthwise: boolean, fastDepthwise = false): string {
  const all = allRight(q, depthwise);
  const none = { order: "NULL", pairs: 0, computed: 0 };
  if (fastDepthwise) {
    const requant = ctx.table(`op${index}_requant`, "int32_t", depthwiseRequant(q));
    return ctx.struct(`op${index}_quant`, "tinyc_dsp_quant", { bias_mult: "NULL", shift: "NULL", rounding: "NULL", all_right: 1, requant, ...none });
  }
  const { tables, order } = depthwise ? { tables: q, order: none } : matrixOrder(ctx, index, q);
  const bm = ctx.table(`op${index}_bias_mult`, "int32_t", tables.biasMult);
  const shift = ctx.table(`op${index}_shift`, "int8_t", tables.shift);
  const rounding = depthwise ? ctx.table(`op${index}_rounding`, "int32_t", q.rounding) : "NULL";
  return ctx.struct(`op${index}_quant`, "tinyc_dsp_quant", { bias_mult: bm, shift, rounding, all_right: all ? 1 : 0, requant: "NULL", ...order });
}

/**
 * The matrix kernel's channel order: its pairs of computed channels
 * (matrixPairs), then the constant channels (code 0), as
 * tinyc_dsp_quant.order (no table when the pairs are channels 2k and 2k + 1
 * and none is constant), and the bias, multiplier and shift tables in that
 * order (a channel paired with itself twice).
 */
function matrixOrder(ctx: EmitContext, index: number, q: QuantTables): { tables: QuantTables; order: { order: string; pairs: number; computed: number } } {
  const channels = q.shift.length;
  const constant = Array.from(q.shift, (e) => (e === 0 ? 0 : undefined));
  const pairs = matrixPairs(channels, constant), computed = channels - constant.filter((v) => v !== undefined).length;
  const list = [...pairs.flat(), ...Array.from({ length: channels }, (_, c) => c).filter((c) => constant[c] !== undefined)];
  const tables = {
    biasMult: Int32Array.from(list.flatMap((c) => [q.biasMult[2 * c]!, q.biasMult[2 * c + 1]!])),
    shift: Int8Array.from(list, (c) => q.shift[c]!),
    rounding: q.rounding,
  };
  const inOrder = computed === channels && channels % 2 === 0;
  const order = inOrder ? "NULL" : ctx.table(`op${index}_order`, "int16_t", Int16Array.from(list));
  return { tables, order: { order, pairs: pairs.length, computed } };
}

/** tinyc_dsp_quant.requant: per group of four channels their biases, multipliers, rounding terms and shifts (bytes of one word); then each channel left over. */
function depthwiseRequant(q: QuantTables): Int32Array {
  const channels = q.shift.length, quads = Math.floor(channels / 4);
  const out: number[] = [];
  const record = (cs: number[]) => {
    for (const field of [0, 1]) for (const c of cs) out.push(q.biasMult[2 * c + field]!);
    for (const c of cs) out.push(q.rounding[c]!);
    out.push(cs.reduce((w, c, k) => w | ((q.shift[c]! & 0xff) << (8 * k)), 0));
  };
  for (let g = 0; g < quads; g++) record([4 * g, 4 * g + 1, 4 * g + 2, 4 * g + 3]);
  for (let c = 4 * quads; c < channels; c++) record([c]);
  return Int32Array.from(out);
}

/** Input byte range [lo, hi] the window of output pixel `pix` reads over channels [c0, c1]; NONE when all padding. */
function windowRange(g: WindowGeometry, pix: number, c0: number, c1: number): [number, number] {
  const ox = pix % g.outW, oy = Math.floor(pix / g.outW) % g.outH, b = Math.floor(pix / (g.outW * g.outH));
  const [y0, y1] = windowSpan(oy, g.strideH, g.padTop, g.kH, g.dilH, g.inH);
  const [x0, x1] = windowSpan(ox, g.strideW, g.padLeft, g.kW, g.dilW, g.inW);
  if (y0 < 0 || x0 < 0) return [NONE_LO, NONE_HI];
  return [((b * g.inH + y0) * g.inW + x0) * g.inC + c0, ((b * g.inH + y1) * g.inW + x1) * g.inC + c1];
}

/** Output pixels the matrix kernel computes at once; at most MATRIX_SINGLES left, it takes them one at a time. */
export const MATRIX_BLOCK = 8;
export const MATRIX_SINGLES = 2;

/** Pixels a block of the matrix kernel holds: eight, four or one (tinyc_dsp_conv_params.block). */
export type MatrixBlock = 8 | 4 | 1;

/** Scratch the op's own tensors may be outweighed by before the matrix kernel takes smaller blocks, at the least. */
const MATRIX_SCRATCH_FLOOR = 2048;

/**
 * The matrix kernel's block for this geometry: eight pixels, unless their
 * windows' scratch would outweigh the op's input and output together (large
 * windows over few channels, as in keyword-spotting convolutions); then four,
 * or one (fewer instructions saved per filter word read, far less scratch).
 */
export function matrixBlock(g: WindowGeometry): MatrixBlock {
  const tensors = Math.max(MATRIX_SCRATCH_FLOOR, g.batches * (g.inH * g.inW * g.inC + g.outH * g.outW * g.outC));
  for (const block of [MATRIX_BLOCK, 4] as const) if (matrixScratchOf(g, block) <= tensors) return block;
  return 1;
}

/** The matrix kernel's blocks of output pixels, [first, last] in computing order (before reverse), as tinyc_dsp_conv2d_s8 forms them. */
export function matrixBlocks(pixels: number, block: MatrixBlock = MATRIX_BLOCK): [number, number][] {
  const blocks: [number, number][] = [];
  const rest = pixels % block, whole = block === 1 ? pixels : pixels - (rest <= MATRIX_SINGLES ? rest : 0);
  // A short last block is computed as a full one, or (blocks of eight, four pixels or fewer) as a block of four; its pixels are the same.
  for (let first = 0; first < whole; first += block) blocks.push([first, Math.min(first + block, pixels) - 1]);
  for (let pix = whole; pix < pixels; pix++) blocks.push([pix, pix]);
  return blocks;
}

/** The matrix kernel's steps: per block of output pixels, every window read, then the block's outputs written. */
function matrixSteps(g: WindowGeometry): AccessSteps {
  const blocks = matrixBlocks(g.batches * g.outH * g.outW, matrixBlock(g));
  const s = { readLo: new Int32Array(blocks.length), readHi: new Int32Array(blocks.length), writeLo: new Int32Array(blocks.length), writeHi: new Int32Array(blocks.length) };
  blocks.forEach(([first, last], i) => {
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
  });
  return s;
}

/** A convolution as the matrix kernels take it: its parameters, filter ([channels][taps], OHWI) and bias. */
interface MatrixOp {
  readonly p: ConvParams;
  readonly filter: Int8Array;
  readonly bias: Int32Array;
  readonly channels: number;
}

/** The scratch of the kernel that runs the convolution: the pair-stream kernel's block, or the matrix kernel's largest block's windows as int16. */
function matrixScratch(m: MatrixOp): number {
  const g = m.p.geo;
  return takesPairs(m) ? pairScratch(g) : matrixScratchOf(g, matrixBlock(g));
}

/** Why neither matrix kernel can run the convolution, or undefined. */
function matrixLimit(m: MatrixOp): string | undefined {
  if (takesPairs(m)) return undefined;
  const { abs } = channelSums(m.filter, m.channels, m.filter.length / m.channels, true);
  return arithmeticLimit(m.p, m.bias, (c) => abs[c]!, m.channels, true);
}

function matrixScratchOf(g: WindowGeometry, block: MatrixBlock): number {
  // As matrixBlocks forms them: blocks of eight once more than four pixels are left, else one block of four, or of one each.
  const pixels = g.batches * g.outH * g.outW;
  const largest = block === 1 ? 1 : pixels > 4 && block === MATRIX_BLOCK ? MATRIX_BLOCK : pixels > MATRIX_SINGLES ? 4 : 1;
  return 2 * largest * matrixLayout(g.kH, g.kW, g.inC).depth;
}

/** The margins of the kernel that runs the convolution. */
function matrixOverlap(op: MatrixOp, option: OverlapCapability["option"]): OverlapCapability[] {
  const g = op.p.geo, m = marginsOf(takesPairs(op) ? pairSteps(g) : matrixSteps(g));
  return [{ input: 0, option, forward: m.forward, backward: m.backward }];
}

/** The pair-stream kernel's view of a convolution whose filter is `filter` ([channels][taps], OHWI): its channels' words, or why it cannot take it. */
function pairPlan({ p, filter, bias, channels }: MatrixOp) {
  const taps = filter.length / channels;
  const constant = constantOutputs(p, bias, filter, channels, taps, true);
  const chans = pairChannels(p, bias, channelSums(filter, channels, taps, true), channels, constant);
  return { taps, constant, chans };
}

/** Whether the pair-stream kernel takes the convolution. */
function takesPairs(m: MatrixOp): boolean {
  return typeof pairPlan(m).chans !== "string";
}

/**
 * The pair-stream kernel's call: its stream, and the channel order
 * (tinyc_dsp_quant.order, pairs, computed) as the matrix kernel's.
 */
function emitPairs(node: KernelOp<ConvParams>["node"], m: MatrixOp, ctx: EmitContext): void {
  const { p, filter, channels } = m, g = p.geo, i = node.index;
  const { taps, constant, chans } = pairPlan(m);
  if (typeof chans === "string") throw new Error(`op ${i}: ${chans}`);
  const pairs = matrixPairs(channels, constant);
  const constants = Array.from({ length: channels }, (_, c) => c).filter((c) => constant[c] !== undefined);
  const stream = ctx.table(`op${i}_stream`, "int32_t", pairStream(filter, taps, g, pairs, chans, constants.map((c) => constant[c]!)));
  const inOrder = constants.length === 0 && channels % 2 === 0;
  const order = inOrder ? "NULL" : ctx.table(`op${i}_order`, "int16_t", Int16Array.from([...pairs.flat(), ...constants]));
  const q = ctx.struct(`op${i}_quant`, "tinyc_dsp_quant", {
    bias_mult: "NULL", shift: "NULL", rounding: "NULL", all_right: 1, requant: "NULL", order, pairs: pairs.length, computed: channels - constants.length,
  });
  const layout = { rowTaps: 0, depth: 2 * pairLayout(g.kH, g.kW, g.inC).words };
  const block = pairBlock(g);
  const params = ctx.struct(`op${i}_params`, "tinyc_dsp_conv_params", { ...paramsStruct(p, layout, ctx), block });
  ctx.source("tinyc_dsp_conv2d_pairs.c");
  const entry = `tinyc_dsp_conv2d_pairs${block === 1 ? "1" : ""}${p.actMin >= p.outputOffset ? "_relu" : ""}${clampSuffix(p)}_s8`;
  rowsCall(ctx, "tinyc_dsp_conv_params", params, (ps) => `${entry}(${ps}, &${q}, ${ctx.tensor(node.inputs[0]!)}, (const uint32_t *)${stream}, ${ctx.tensor(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()})`);
}

/** The matrix kernel's call for a convolution whose filter is `filter` ([channels][taps], OHWI): the pair-stream kernel when it takes it. */
function emitMatrix(node: KernelOp<ConvParams>["node"], p: ConvParams, filter: Int8Array, bias: Int32Array, channels: number, ctx: EmitContext): void {
  if (takesPairs({ p, filter, bias, channels })) return emitPairs(node, { p, filter, bias, channels }, ctx);
  const g = p.geo, i = node.index, taps = filter.length / channels;
  const layout = matrixLayout(g.kH, g.kW, g.inC);
  const constant = constantOutputs(p, bias, filter, channels, taps, true);
  const words = ctx.table(`op${i}_filter`, "int32_t", matrixFilterWords(filter, channels, g.kH, g.kW, g.inC, constant));
  const tables = quantTables(p, bias, channelSums(filter, channels, taps, true), channels, constant);
  const q = quantStruct(ctx, i, tables, false);
  const params = ctx.struct(`op${i}_params`, "tinyc_dsp_conv_params", { ...paramsStruct(p, layout, ctx), block: matrixBlock(g) });
  ctx.source("tinyc_dsp_conv2d.c");
  const entry = allRight(tables, false) ? `tinyc_dsp_conv2d_fast${clampSuffix(p)}_s8` : "tinyc_dsp_conv2d_s8";
  rowsCall(ctx, "tinyc_dsp_conv_params", params, (ps) => `${entry}(${ps}, &${q}, ${ctx.tensor(node.inputs[0]!)}, (const uint32_t *)${words}, ${ctx.tensor(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()})`);
}

/** FULLY_CONNECTED as the matrix kernel's 1x1 convolution: each batch row one pixel of depth channels. */
function fullyConnectedConv(p: FullyConnectedParams): ConvParams {
  const geo = {
    batches: p.batches, inH: 1, inW: 1, inC: p.depth, outH: 1, outW: 1, outC: p.outDepth, kH: 1, kW: 1,
    strideH: 1, strideW: 1, dilH: 1, dilW: 1, padTop: 0, padLeft: 0, padBottomExtra: 0, padRightExtra: 0,
  };
  return { ...p, geo };
}

export const fullyConnected: OpKernel<FullyConnectedParams> = {
  unsupported(op) {
    const [, fId, bId = -1] = op.node.inputs as number[];
    if (tensorOf(op.graph, fId!).data === undefined) return "the DSP family's fully connected kernel needs constant weights (laid out at compile time)";
    if (bId >= 0 && tensorOf(op.graph, bId).data === undefined) return "the DSP family's fully connected kernel needs a constant bias";
    return matrixLimit(fullyConnectedMatrix(op));
  },
  scratchBytes: (op) => matrixScratch(fullyConnectedMatrix(op)),
  emit({ node, graph, params: p }, ctx) {
    const { filter, bias, channels } = convOperands(node, graph);
    emitMatrix(node, fullyConnectedConv(p), filter, bias, channels, ctx);
  },
};

/** A FULLY_CONNECTED or CONV_2D as the matrix kernels take it. */
function fullyConnectedMatrix({ node, graph, params }: KernelOp<FullyConnectedParams>): MatrixOp {
  return { p: fullyConnectedConv(params), ...convOperands(node, graph) };
}

function convMatrix({ node, graph, params }: KernelOp<ConvParams>): MatrixOp {
  return { p: params, ...convOperands(node, graph) };
}

export const conv2d: OpKernel<ConvParams> = {
  unsupported: (op) => matrixLimit(convMatrix(op)),
  scratchBytes: (op) => matrixScratch(convMatrix(op)),
  overlap: (op) => matrixOverlap(convMatrix(op), "overlap"),
  ringRows: ({ params: p }) => p.geo.batches === 1,
  stridedOutput: () => true,
  explicitPadding: () => true,
  emit({ node, graph, params: p }, ctx) {
    const { filter, bias, channels } = convOperands(node, graph);
    emitMatrix(node, p, filter, bias, channels, ctx);
  },
};

/** The depthwise kernel's channel groups: four at a time, then one at a time, as [first, last]. */
function depthwiseGroups(channels: number): [number, number][] {
  const groups: [number, number][] = [];
  let c = 0;
  for (; c + 4 <= channels; c += 4) groups.push([c, c + 3]);
  for (; c < channels; c++) groups.push([c, c]);
  return groups;
}

/**
 * The depthwise kernel's steps: per output pixel, per channel group, the
 * group's window read, then its outputs written. `groupsReversed`: each
 * pixel's groups last to first, the exact reverse of the kernel's reverse
 * order (pixels last to first, each pixel's groups first to last).
 */
function depthwiseSteps(g: WindowGeometry, groupsReversed: boolean): AccessSteps {
  const groups = depthwiseGroups(g.outC);
  if (groupsReversed) groups.reverse();
  const steps: [number, number, number, number][] = [];
  for (let pix = 0; pix < g.batches * g.outH * g.outW; pix++) {
    for (const [c0, c1] of groups) {
      const [lo, hi] = windowRange(g, pix, c0, c1);
      steps.push([lo, hi, pix * g.outC + c0, pix * g.outC + c1]);
    }
  }
  return accessSteps(steps);
}

/** The depthwise kernel's widest window side (the taps inside a window row or column are one 32-bit mask). */
const MAX_DEPTHWISE_SIDE = 32;

/**
 * A depthwise convolution of one input channel is a convolution with its
 * depth multiplier's output channels (the first layer of some image models):
 * it runs on the matrix kernel, its filter [1, kH, kW, M] transposed to OHWI.
 */
const isMatrix = (p: DepthwiseParams) => p.geo.inC === 1;

/** The windows tinyc_dsp_depthwise3x3*_s8 take. */
const isWindow3x3 = (g: WindowGeometry) => g.kH === 3 && g.kW === 3;

function matrixFilterOf(filter: Int8Array, channels: number): Int8Array {
  const taps = filter.length / channels;
  return Int8Array.from({ length: filter.length }, (_, k) => filter[(k % taps) * channels + Math.floor(k / taps)]!);
}

export const depthwiseConv2d: OpKernel<DepthwiseParams> = {
  unsupported(op) {
    const g = op.params.geo;
    if (isMatrix(op.params)) return matrixLimit(depthwiseMatrix(op));
    if (op.params.depthMultiplier !== 1) return "the DSP family's depthwise kernel has depth multiplier 1 (or one input channel)";
    if (g.kH > MAX_DEPTHWISE_SIDE || g.kW > MAX_DEPTHWISE_SIDE) return `the DSP family's depthwise kernel takes windows up to ${MAX_DEPTHWISE_SIDE} taps a side`;
    const { filter, bias, channels } = depthwiseOperands(op);
    const { abs } = channelSums(filter, channels, g.kH * g.kW, false);
    return arithmeticLimit(op.params, bias, (c) => abs[c]!, channels, true);
  },
  /**
   * The filter widened to int16 (flash keeps it as bytes), then the input zero
   * point for the taps outside the image: a strip as wide as the window for
   * 3x3 windows, one pixel for others; or the matrix kernel's (the arena's
   * buffers are 16-byte aligned).
   */
  scratchBytes(op) {
    const { params: p } = op, g = p.geo;
    return isMatrix(p) ? matrixScratch(depthwiseMatrix(op)) : 2 * g.kH * g.kW * g.outC + g.outC + (isWindow3x3(g) ? 2 * g.dilW * g.outC : 0);
  },
  /** The matrix kernel gathers each window row from a ring as the convolution does (dsp/index.ts); the 3x3 kernel finds its rows once a call. */
  ringRowRead: ({ params: p }) => (isMatrix(p) ? 20 : 0),
  /** 3x3 windows whose every pixel's columns take one of the runs' variants (all three, or the last or first two, inside the image), or the matrix kernel; one batch. */
  ringRows({ params: p }) {
    const g = p.geo;
    if (g.batches !== 1) return false;
    if (isMatrix(p)) return true;
    if (!isWindow3x3(g) || p.depthMultiplier !== 1) return false;
    for (let ox = 0; ox < g.outW; ox++) {
      let cols = 0;
      for (let kx = 0; kx < 3; kx++) {
        const ix = ox * g.strideW - g.padLeft + kx * g.dilW;
        if (ix >= 0 && ix < g.inW) cols |= 1 << kx;
      }
      if (cols !== 7 && cols !== 6 && cols !== 3) return false;
    }
    return true;
  },
  overlap(op): OverlapCapability[] {
    const { params: p } = op;
    if (isMatrix(p)) return matrixOverlap(depthwiseMatrix(op), "depthwise-inplace");
    const forward = marginsOf(depthwiseSteps(p.geo, false)).forward;
    const backward = marginsOf(depthwiseSteps(p.geo, true)).backward;
    return [{ input: 0, option: "depthwise-inplace", forward, backward }];
  },
  stridedOutput: () => true,
  explicitPadding: () => true,
  emit(op, ctx) {
    const { node, params: p } = op;
    const { filter, bias, channels } = depthwiseOperands(op);
    if (isMatrix(p)) return emitMatrix(node, p, matrixFilterOf(filter, channels), bias, channels, ctx);
    const i = node.index, taps = p.geo.kH * p.geo.kW;
    const lanes = ctx.table(`op${i}_filter`, "int8_t", depthwiseFilterLanes(filter, channels, taps));
    const tables = quantTables(p, bias, channelSums(filter, channels, taps, false), channels, [], FOLD_MAX);
    const k3 = isWindow3x3(p.geo), fast = k3 && allRight(tables, true);
    const q = quantStruct(ctx, i, tables, true, fast);
    const params = ctx.struct(`op${i}_params`, "tinyc_dsp_conv_params", paramsStruct(p, { rowTaps: 0, depth: taps }, ctx));
    ctx.source("tinyc_dsp_depthwise.c");
    const entry = !k3 ? "tinyc_dsp_depthwise_s8" : fast ? `tinyc_dsp_depthwise3x3_fast${clampSuffix(p)}_s8` : "tinyc_dsp_depthwise3x3_s8";
    rowsCall(ctx, "tinyc_dsp_conv_params", params, (ps) => `${entry}(${ps}, &${q}, ${ctx.tensor(node.inputs[0]!)}, ${lanes}, ${ctx.tensor(node.outputs[0]!)}, (int16_t *)${ctx.scratch()})`);
  },
};

/** A depthwise convolution of one input channel as the matrix kernels take it. */
function depthwiseMatrix(op: KernelOp<DepthwiseParams>): MatrixOp {
  const { filter, bias, channels } = depthwiseOperands(op);
  return { p: op.params, filter: matrixFilterOf(filter, channels), bias, channels };
}

/** The depthwise filter [1, kH, kW, C] and bias. */
function depthwiseOperands({ node, graph, params }: KernelOp<DepthwiseParams>) {
  const { filter, bias } = convOperands(node, graph);
  const channels = params.geo.outC;
  return { filter, bias: bias.length === channels ? bias : new Int32Array(channels), channels };
}
