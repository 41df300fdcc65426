/**
 * All CMSIS-NN calls in one module. Emission uses the `_wrapper_` entry points
 * where CMSIS-NN has them (their signatures are the stable ones), fills
 * CMSIS-NN's parameter structs as const data, and computes on the host what
 * CMSIS-NN would ask for at run time:
 *
 * - scratch sizes, with the target's semantics (MVE on Helium cores, DSP
 *   otherwise), following `*_get_buffer_size_{dsp,mve}` of the supported
 *   versions (identical for every case tinyc emits). Where a size depends on the
 *   C compiler (Arm Compiler 6 uses a buffer for the 1x1 fast convolution and
 *   converts depthwise convolutions with one input channel at another
 *   threshold than GCC), tinyc reserves the larger, so the arena is safe with
 *   either compiler;
 * - the kernel sums the MVE fully connected kernel reads from its context
 *   buffer (what arm_vector_sum_s8 computes), as const data in flash.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fail } from "../../diagnostics.js";
import type { Target } from "../../targets.js";
import type { ConvParams } from "../ops/conv2d.js";
import type { DepthwiseParams } from "../ops/depthwise_conv2d.js";
import type { PoolParams } from "../ops/pool.js";
import type { FullyConnectedParams } from "../ops/fully_connected.js";
import type { SoftmaxParams } from "../ops/softmax.js";
import type { AddParams } from "../ops/add.js";
import type { MulParams } from "../ops/mul.js";
import type { EmitContext, OverlapCapability } from "../ops/types.js";
import { accessSteps, marginsOf, NONE_HI, NONE_LO, type AccessSteps } from "../ops/margins.js";

export type CmsisNnVersion = "v7.0.0" | "4ab83cc3";
export const CMSIS_NN_VERSIONS: readonly CmsisNnVersion[] = ["v7.0.0", "4ab83cc3"];

export interface CmsisNnInfo {
  /** The user's CMSIS-NN tree; absent when only emitting sources for a named version. */
  readonly root?: string;
  readonly version: CmsisNnVersion;
  /** `$Revision` of Include/arm_nnfunctions.h. */
  readonly revision: string;
}

/** arm_nnfunctions.h $Revision of each supported CMSIS-NN version. */
const REVISIONS: Readonly<Record<string, CmsisNnVersion>> = {
  "18.0.0": "v7.0.0",
  "19.1.0": "4ab83cc3",
};

/**
 * Finds and identifies the user's CMSIS-NN tree (`dir`, else CMSIS_NN_ROOT). With
 * no tree but a named `version`, sources can still be emitted (not built).
 */
export function resolveCmsisNn(dir: string | undefined, version?: string): CmsisNnInfo {
  const root = dir ?? process.env.CMSIS_NN_ROOT;
  if (!root) {
    if (version) {
      const v = CMSIS_NN_VERSIONS.find((x) => x === version);
      if (!v) fail("TC151", `CMSIS-NN version '${version}' is not supported; supported: ${CMSIS_NN_VERSIONS.join(", ")}`);
      return { version: v, revision: Object.keys(REVISIONS).find((r) => REVISIONS[r] === v)! };
    }
    fail("TC150", "the cmsis-nn backend needs a CMSIS-NN source tree: pass --cmsis-nn DIR or set CMSIS_NN_ROOT (the README says how to get CMSIS-NN)");
  }
  const header = join(root, "Include", "arm_nnfunctions.h");
  if (!existsSync(header)) fail("TC150", `${header} not found: ${root} is not a CMSIS-NN source tree`, { file: root });
  const m = /\$Revision:\s*V\.?([0-9.]+)/.exec(readFileSync(header, "utf8"));
  const revision = m?.[1] ?? "unknown";
  const found = REVISIONS[revision];
  if (!found) {
    fail("TC151", `CMSIS-NN at ${root} has arm_nnfunctions.h revision ${revision}; supported: ${Object.entries(REVISIONS).map(([r, v]) => `${v} (V.${r})`).join(", ")}`, { file: header });
  }
  if (version && version !== found) fail("TC151", `CMSIS-NN at ${root} is ${found}, not the requested ${version}`, { file: header });
  return { root, version: found, revision };
}

/** The tree itself, for building; emitting sources for a named version needs none. */
export function cmsisRoot(info: CmsisNnInfo): string {
  if (!info.root) fail("TC150", `building with CMSIS-NN ${info.version} needs its source tree: pass --cmsis-nn DIR or set CMSIS_NN_ROOT`);
  return info.root;
}

// ---- scratch sizes (bytes), host-side -------------------------------------------------

const CH_IN_BLOCK_MVE = 124;
/** Depthwise with one input channel becomes a convolution above this many output channels (GCC: 1; Arm Compiler 6: 8). */
const DW_ONE_IN_CH_THRESHOLD = 1;

interface ConvShape {
  readonly inC: number; readonly inH: number;
  readonly kH: number; readonly kW: number;
  readonly padTop: number; readonly padLeft: number;
  readonly strideH: number; readonly strideW: number;
  readonly dilH: number; readonly dilW: number;
  readonly outW: number; readonly inW: number;
}

const is1x1 = (s: ConvShape) => s.padTop === 0 && s.padLeft === 0 && s.kH === 1 && s.kW === 1 && s.dilH === 1 && s.dilW === 1;
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

function convShape(p: ConvParams): ConvShape {
  const g = p.geo;
  return {
    inC: g.inC, inH: g.inH, inW: g.inW, kH: g.kH, kW: g.kW, padTop: g.padTop, padLeft: g.padLeft,
    strideH: g.strideH, strideW: g.strideW, dilH: g.dilH, dilW: g.dilW, outW: g.outW,
  };
}

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

/** The MVE kernel sums are const data in flash, not arena scratch. */
export function fullyConnectedScratchBytes(_p: FullyConnectedParams, _t: Target): number {
  return 0;
}

/** bias[r] + input_offset * (sum of row r + cols * filter_offset), as arm_vector_sum_s8 computes. */
export function kernelSums(filter: Int8Array, rows: number, cols: number, inputOffset: number, bias: Int32Array | undefined): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += filter[r * cols + c]!;
    out[r] = ((bias ? bias[r]! : 0) + Math.imul(s, inputOffset)) | 0;
  }
  return out;
}

// ---- emission ----------------------------------------------------------------------

interface Operands { readonly input: string; readonly output: string; readonly index: number }
export interface MacOperands extends Operands { readonly filter: string; readonly bias: string; readonly mult: string; readonly shift: string }

const tile = (w: number, h: number) => `{ ${w}, ${h} }`;
const dims = (ctx: EmitContext, name: string, n: number, h: number, w: number, c: number) =>
  ctx.struct(name, "cmsis_nn_dims", { n, h, w, c });

function call(ctx: EmitContext, index: number, scratchBytes: number, body: (ctxVar: string) => string, scratch = ctx.scratch()): void {
  ctx.body.block("", () => {
    ctx.body.line(`const cmsis_nn_context ctx = { ${scratchBytes > 0 ? scratch : "NULL"}, ${scratchBytes} };`);
    ctx.body.block(`if (${body("&ctx")} != ARM_CMSIS_NN_SUCCESS)`, () => ctx.body.line(`return ${index + 1};`));
  });
}

export function emitConv(ctx: EmitContext, p: ConvParams, o: MacOperands): void {
  const g = p.geo, i = o.index;
  const params = ctx.struct(`op${i}_conv_params`, "cmsis_nn_conv_params", {
    input_offset: p.inputOffset, output_offset: p.outputOffset, stride: tile(g.strideW, g.strideH),
    padding: tile(g.padLeft, g.padTop), dilation: tile(g.dilW, g.dilH), activation: `{ ${p.actMin}, ${p.actMax} }`,
  });
  const inDims = dims(ctx, `op${i}_input_dims`, g.batches, g.inH, g.inW, g.inC);
  const fDims = dims(ctx, `op${i}_filter_dims`, g.outC, g.kH, g.kW, g.inC);
  const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, g.outC);
  const outDims = dims(ctx, `op${i}_output_dims`, g.batches, g.outH, g.outW, g.outC);
  const quant = ctx.struct(`op${i}_quant`, "cmsis_nn_per_channel_quant_params", { multiplier: `(int32_t *)${o.mult}`, shift: `(int32_t *)${o.shift}` });
  call(ctx, i, convScratchBytes(p, ctx.target), (c) =>
    `arm_convolve_wrapper_s8(${c}, &${params}, &${quant}, &${inDims}, ${o.input}, &${fDims}, ${o.filter}, &${bDims}, ${o.bias}, &${outDims}, ${o.output})`);
}

export function emitDepthwise(ctx: EmitContext, p: DepthwiseParams, o: MacOperands): void {
  const g = p.geo, i = o.index;
  const params = ctx.struct(`op${i}_dw_conv_params`, "cmsis_nn_dw_conv_params", {
    input_offset: p.inputOffset, output_offset: p.outputOffset, ch_mult: p.depthMultiplier, stride: tile(g.strideW, g.strideH),
    padding: tile(g.padLeft, g.padTop), dilation: tile(g.dilW, g.dilH), activation: `{ ${p.actMin}, ${p.actMax} }`,
  });
  const inDims = dims(ctx, `op${i}_input_dims`, g.batches, g.inH, g.inW, g.inC);
  const fDims = dims(ctx, `op${i}_filter_dims`, 1, g.kH, g.kW, g.outC);
  const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, g.outC);
  const outDims = dims(ctx, `op${i}_output_dims`, g.batches, g.outH, g.outW, g.outC);
  const quant = ctx.struct(`op${i}_quant`, "cmsis_nn_per_channel_quant_params", { multiplier: `(int32_t *)${o.mult}`, shift: `(int32_t *)${o.shift}` });
  call(ctx, i, depthwiseScratchBytes(p, ctx.target), (c) =>
    `arm_depthwise_conv_wrapper_s8(${c}, &${params}, &${quant}, &${inDims}, ${o.input}, &${fDims}, ${o.filter}, &${bDims}, ${o.bias}, &${outDims}, ${o.output})`);
}

export function emitAvgPool(ctx: EmitContext, p: PoolParams, o: Operands): void {
  const i = o.index;
  const params = ctx.struct(`op${i}_pool_params`, "cmsis_nn_pool_params", {
    stride: tile(p.strideW, p.strideH), padding: tile(p.padLeft, p.padTop), activation: `{ ${p.actMin}, ${p.actMax} }`,
  });
  const inDims = dims(ctx, `op${i}_input_dims`, p.batches, p.inH, p.inW, p.channels);
  const fDims = dims(ctx, `op${i}_filter_dims`, 1, p.kH, p.kW, 1);
  const outDims = dims(ctx, `op${i}_output_dims`, p.batches, p.outH, p.outW, p.channels);
  call(ctx, i, avgpoolScratchBytes(p, ctx.target), (c) => `arm_avgpool_s8(${c}, &${params}, &${inDims}, ${o.input}, &${fDims}, &${outDims}, ${o.output})`);
}

/** arm_max_pool_s8 (no scratch); bit-exact with TFLite's reference max pool. */
export function emitMaxPool(ctx: EmitContext, p: PoolParams, o: Operands): void {
  const i = o.index;
  const params = ctx.struct(`op${i}_pool_params`, "cmsis_nn_pool_params", {
    stride: tile(p.strideW, p.strideH), padding: tile(p.padLeft, p.padTop), activation: `{ ${p.actMin}, ${p.actMax} }`,
  });
  const inDims = dims(ctx, `op${i}_input_dims`, p.batches, p.inH, p.inW, p.channels);
  const fDims = dims(ctx, `op${i}_filter_dims`, 1, p.kH, p.kW, 1);
  const outDims = dims(ctx, `op${i}_output_dims`, p.batches, p.outH, p.outW, p.channels);
  call(ctx, i, 0, (c) => `arm_max_pool_s8(${c}, &${params}, &${inDims}, ${o.input}, &${fDims}, &${outDims}, ${o.output})`);
}

/** arm_elementwise_add_s8: TFLite's int8 ADD (20-bit headroom), same shapes only. */
export function emitAdd(ctx: EmitContext, p: AddParams, o: { input1: string; input2: string; output: string; index: number; size: number }): void {
  const body = `arm_elementwise_add_s8(${o.input1}, ${o.input2}, ${p.input1Offset}, ${p.input1.multiplier}, ${p.input1.shift}, ` +
    `${p.input2Offset}, ${p.input2.multiplier}, ${p.input2.shift}, 20, ${o.output}, ${p.outputOffset}, ${p.output.multiplier}, ${p.output.shift}, ` +
    `${p.actMin}, ${p.actMax}, ${o.size})`;
  ctx.body.block(`if (${body} != ARM_CMSIS_NN_SUCCESS)`, () => ctx.body.line(`return ${o.index + 1};`));
}

/** arm_elementwise_mul_s8: TFLite's int8 MUL, same shapes only. */
export function emitMul(ctx: EmitContext, p: MulParams, o: { input1: string; input2: string; output: string; index: number; size: number }): void {
  const body = `arm_elementwise_mul_s8(${o.input1}, ${o.input2}, ${p.input1Offset}, ${p.input2Offset}, ${o.output}, ${p.outputOffset}, ` +
    `${p.output.multiplier}, ${p.output.shift}, ${p.actMin}, ${p.actMax}, ${o.size})`;
  ctx.body.block(`if (${body} != ARM_CMSIS_NN_SUCCESS)`, () => ctx.body.line(`return ${o.index + 1};`));
}

export interface FullyConnectedData {
  readonly filter: Int8Array;
  readonly bias: Int32Array | undefined;
}

/** Per-channel FC reads the op's multiplier/shift tables (made on demand); per-tensor FC takes one pair inline. */
interface FcOperands extends Operands {
  readonly filter: string;
  readonly bias: string;
  readonly tables: () => { readonly mult: string; readonly shift: string };
}

export function emitFullyConnected(ctx: EmitContext, p: FullyConnectedParams, o: FcOperands, data: FullyConnectedData): void {
  const i = o.index;
  const params = ctx.struct(`op${i}_fc_params`, "cmsis_nn_fc_params", {
    input_offset: p.inputOffset, filter_offset: 0, output_offset: p.outputOffset, activation: `{ ${p.actMin}, ${p.actMax} }`,
  });
  const inDims = dims(ctx, `op${i}_input_dims`, p.batches, 1, 1, p.depth);
  const fDims = dims(ctx, `op${i}_filter_dims`, p.depth, 1, 1, p.outDepth);
  const bDims = dims(ctx, `op${i}_bias_dims`, 1, 1, 1, p.outDepth);
  const outDims = dims(ctx, `op${i}_output_dims`, p.batches, 1, 1, p.outDepth);
  let sums = "NULL", sumBytes = 0;
  if (ctx.target.mve) {
    sums = `(void *)${ctx.table(`op${i}_kernel_sums`, "int32_t", kernelSums(data.filter, p.outDepth, p.depth, p.inputOffset, data.bias))}`;
    sumBytes = p.outDepth * 4;
  }
  const t = p.perChannel ? o.tables() : undefined;
  const quant = t
    ? ctx.struct(`op${i}_quant`, "cmsis_nn_per_channel_quant_params", { multiplier: `(int32_t *)${t.mult}`, shift: `(int32_t *)${t.shift}` })
    : ctx.struct(`op${i}_quant`, "cmsis_nn_per_tensor_quant_params", { multiplier: p.multiplier[0]!, shift: p.shift[0]! });
  const fn = p.perChannel ? "arm_fully_connected_per_channel_s8" : "arm_fully_connected_s8";
  call(ctx, i, sumBytes, (c) => `${fn}(${c}, &${params}, &${quant}, &${inDims}, ${o.input}, &${fDims}, ${o.filter}, &${bDims}, ${o.bias}, &${outDims}, ${o.output})`, sums);
}

export function emitSoftmax(ctx: EmitContext, p: SoftmaxParams, o: Operands): void {
  ctx.body.line(`arm_softmax_s8(${o.input}, ${p.rows}, ${p.depth}, ${p.inputMultiplier}, ${p.inputLeftShift}, ${p.diffMin}, ${o.output});`);
}
