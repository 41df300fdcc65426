/**
 * The DSP family's ADD, SUB and MUL (templates/c/dsp/tinyc_dsp_elementwise.c):
 * TFLite's arithmetic with each right-shift requantization in one SMLAL, and
 * the broadcast merged into as few dimensions as the layout allows.
 */
import type { AddParams } from "../../compiler/ops/add.js";
import type { MulParams } from "../../compiler/ops/mul.js";
import type { BroadcastGeometry } from "../../compiler/ops/shapes.js";
import { multiplyByQuantizedMultiplier } from "../../compiler/numerics/fixedpoint.js";
import type { QuantizedMultiplier } from "../../compiler/numerics/quantize.js";
import { binaryOverlap } from "../access.js";
import { cBroadcast } from "../cdata.js";
import type { EmitContext, OpKernel } from "../types.js";
import { FOLD_MAX } from "./layout.js";
import { equalShapeRows, oneRow, perRowCall } from "../rows.js";

const C_DIMS = 6;

/**
 * The broadcast with adjacent dimensions merged wherever both inputs step
 * through them as one (stride of the outer = stride of the inner * its
 * size), padded back to six at the front: the innermost loop is as long as it
 * can be.
 */
export function mergedBroadcast(g: BroadcastGeometry): BroadcastGeometry {
  // Dimensions of size 1 step nowhere.
  const kept = g.dims.map((_, d) => d).filter((d) => g.dims[d] !== 1);
  const dims = kept.map((d) => g.dims[d]!), s1 = kept.map((d) => g.stride1[d]!), s2 = kept.map((d) => g.stride2[d]!);
  for (let d = dims.length - 2; d >= 0; d--) {
    const joins = (s: number[]) => s[d] === s[d + 1]! * dims[d + 1]!;
    if (!joins(s1) || !joins(s2)) continue;
    dims[d + 1] = dims[d]! * dims[d + 1]!;
    for (const v of [dims, s1, s2]) v.splice(d, 1);
  }
  const pad = (v: number[], fill: number) => [...Array(C_DIMS - v.length).fill(fill), ...v];
  return { dims: pad(dims, 1), stride1: pad(s1, 0), stride2: pad(s2, 0) };
}

/** ADD's headroom: TFLite shifts both inputs (plus offset) up by 20 bits before rescaling them. */
const ADD_LEFT_SHIFT = 20;

/** tinyc_dsp_rescale of an ADD input, or why it cannot be one. */
function rescale(q: QuantizedMultiplier, offset: number, name: string): string | { left: number; base: number; mult: number; rounding: number; e: number } {
  const shift0 = q.shift === 0 && (q.multiplier === 2 ** 30 || q.multiplier === 0);
  if (!(shift0 || (q.shift <= -1 && q.shift >= -31))) return `${name}'s rescale shift ${q.shift} (multiplier ${q.multiplier}) is outside the DSP kernel's right shifts`;
  // Shift 0: the product (x + offset) * 2^20 * 2^30 / 2^31 is exact, so doubling once more and shifting right by 1 gives it too.
  const e = shift0 ? 1 : -q.shift, left = ADD_LEFT_SHIFT + (shift0 ? 2 : 1);
  return { left, base: Math.imul(offset, 2 ** left), mult: q.multiplier, rounding: 2 ** (e - 1), e };
}

/** tinyc_dsp_output for an output multiplier, offset and clamp. */
function outputStruct(q: QuantizedMultiplier, offset: number, actMin: number, actMax: number): string {
  const e = q.shift < 0 ? -q.shift : 0;
  const fold = e >= 1 && e <= FOLD_MAX;
  const rounding = e >= 1 ? 2 ** (e - 1) + (fold ? offset * 2 ** e : 0) : 0;
  const after = e > FOLD_MAX ? offset : 0;
  return `{ ${q.multiplier}, ${rounding | 0}, ${e}, ${after}, ${q.shift}, ${offset}, ${actMin}, ${actMax} }`;
}

/** The largest |value| an ADD input rescales to, over every int8 input. */
function largestRescaled(q: QuantizedMultiplier, offset: number): number {
  let m = 0;
  for (let x = -128; x <= 127; x++) m = Math.max(m, Math.abs(multiplyByQuantizedMultiplier(Math.imul(x + offset, 1 << ADD_LEFT_SHIFT), q.multiplier, q.shift)));
  return m;
}

function addOrSub(fn: string): OpKernel<AddParams> {
  return {
    unsupported({ params: p }) {
      for (const [q, off, name] of [[p.input1, p.input1Offset, "input 1"], [p.input2, p.input2Offset, "input 2"]] as const) {
        const r = rescale(q, off, name);
        if (typeof r === "string") return r;
      }
      if (2 * (largestRescaled(p.input1, p.input1Offset) + largestRescaled(p.input2, p.input2Offset)) >= 2 ** 31) return "twice the rescaled sum could pass 32 bits";
      if (p.output.shift < -31) return `the output shift ${p.output.shift} is below -31`;
      return undefined;
    },
    overlap: binaryOverlap,
    ringRows: equalShapeRows,
    emit({ node, params: p }, ctx) {
      const [a, b] = node.inputs as [number, number];
      const r = (q: QuantizedMultiplier, off: number) => {
        const v = rescale(q, off, "input") as Exclude<ReturnType<typeof rescale>, string>;
        return `{ ${v.left}, ${v.base}, ${v.mult}, ${v.rounding}, ${v.e} }`;
      };
      ctx.source("tinyc_dsp_elementwise.c");
      const params = ctx.struct(`op${node.index}_params`, "tinyc_dsp_add_params", {
        shape: cBroadcast(mergedBroadcast(ctx.rows ? oneRow(p.shape) : p.shape)), input1: r(p.input1, p.input1Offset), input2: r(p.input2, p.input2Offset),
        output: outputStruct(p.output, p.outputOffset, p.actMin, p.actMax),
      });
      perRowCall(ctx, (row) => `${fn}(&${params}, ${row ? row(a) : ctx.tensor(a)}, ${row ? row(b) : ctx.tensor(b)}, ${row ? row(node.outputs[0]!) : ctx.tensor(node.outputs[0]!)})`);
    },
  };
}

export const add = addOrSub("tinyc_dsp_add_s8");
export const sub = addOrSub("tinyc_dsp_sub_s8");

export const mul: OpKernel<MulParams> = {
  unsupported: ({ params: p }) => (p.output.shift < -31 ? `the output shift ${p.output.shift} is below -31` : undefined),
  overlap: binaryOverlap,
  emit({ node, params: p }, ctx: EmitContext) {
    const [a, b] = node.inputs as [number, number];
    ctx.source("tinyc_dsp_elementwise.c");
    const params = ctx.struct(`op${node.index}_params`, "tinyc_dsp_mul_params", {
      shape: cBroadcast(mergedBroadcast(p.shape)), input1_offset: p.input1Offset, input2_offset: p.input2Offset,
      output: outputStruct(p.output, p.outputOffset, p.actMin, p.actMax),
    });
    ctx.body.line(`tinyc_dsp_mul_s8(&${params}, ${ctx.tensor(a)}, ${ctx.tensor(b)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};
