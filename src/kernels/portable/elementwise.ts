/** The portable ADD, SUB, MUL, MAXIMUM, MINIMUM and PRELU kernels, broadcasting (templates/c/portable/tinyc_elementwise.c). */
import type { AddParams } from "../../compiler/ops/add.js";
import type { MaximumMinimumParams } from "../../compiler/ops/maximum_minimum.js";
import type { MulParams } from "../../compiler/ops/mul.js";
import type { PreluParams } from "../../compiler/ops/prelu.js";
import { binaryOverlap } from "../access.js";
import type { OpKernel } from "../types.js";
import { cBroadcast, cDims } from "../cdata.js";
import { equalShapeRows, oneRow, perRowCall } from "../rows.js";

/** ADD and SUB: one parameter struct, the second input added or subtracted; row by row in a segment (equal shapes). */
function addOrSub(fn: string): OpKernel<AddParams> {
  return {
    overlap: binaryOverlap,
    ringRows: equalShapeRows,
    emit({ node, params: p }, ctx) {
      const [a, b] = node.inputs as [number, number];
      ctx.source("tinyc_elementwise.c");
      const params = ctx.struct(`op${node.index}_params`, "tinyc_add_params", {
        shape: cBroadcast(ctx.rows ? oneRow(p.shape) : p.shape),
        input1_offset: p.input1Offset, input2_offset: p.input2Offset, output_offset: p.outputOffset, left_shift: p.leftShift,
        input1_multiplier: p.input1.multiplier, input1_shift: p.input1.shift, input2_multiplier: p.input2.multiplier,
        input2_shift: p.input2.shift, output_multiplier: p.output.multiplier, output_shift: p.output.shift,
        act_min: p.actMin, act_max: p.actMax,
      });
      perRowCall(ctx, (row) => `${fn}(&${params}, ${row ? row(a) : ctx.tensor(a)}, ${row ? row(b) : ctx.tensor(b)}, ${row ? row(node.outputs[0]!) : ctx.tensor(node.outputs[0]!)})`);
    },
  };
}

export const add = addOrSub("tinyc_add_s8");
export const sub = addOrSub("tinyc_sub_s8");

function maxMin(fn: string): OpKernel<MaximumMinimumParams> {
  return {
    overlap: binaryOverlap,
    emit({ node, params: p }, ctx) {
      const [a, b] = node.inputs as [number, number];
      ctx.source("tinyc_elementwise.c");
      const shape = ctx.struct(`op${node.index}_shape`, "tinyc_broadcast", { dims: cDims(p.shape.dims), stride1: cDims(p.shape.stride1), stride2: cDims(p.shape.stride2) });
      ctx.body.line(`${fn}(&${shape}, ${ctx.tensor(a)}, ${ctx.tensor(b)}, ${ctx.tensor(node.outputs[0]!)});`);
    },
  };
}

export const maximum = maxMin("tinyc_maximum_s8");
export const minimum = maxMin("tinyc_minimum_s8");

export const prelu: OpKernel<PreluParams> = {
  overlap: binaryOverlap,
  emit({ node, params: p }, ctx) {
    const [x, a] = node.inputs as [number, number];
    ctx.source("tinyc_elementwise.c");
    const params = ctx.struct(`op${node.index}_params`, "tinyc_prelu_params", {
      shape: cBroadcast(p.shape), input_offset: p.inputOffset, alpha_offset: p.alphaOffset, output_offset: p.outputOffset,
      identity_multiplier: p.identity.multiplier, identity_shift: p.identity.shift, alpha_multiplier: p.alpha.multiplier, alpha_shift: p.alpha.shift,
    });
    ctx.body.line(`tinyc_prelu_s8(&${params}, ${ctx.tensor(x)}, ${ctx.tensor(a)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const mul: OpKernel<MulParams> = {
  overlap: binaryOverlap,
  emit({ node, params: p }, ctx) {
    const [a, b] = node.inputs as [number, number];
    ctx.source("tinyc_elementwise.c");
    const params = ctx.struct(`op${node.index}_params`, "tinyc_mul_params", {
      shape: cBroadcast(p.shape),
      input1_offset: p.input1Offset, input2_offset: p.input2Offset, output_offset: p.outputOffset,
      output_multiplier: p.output.multiplier, output_shift: p.output.shift, act_min: p.actMin, act_max: p.actMax,
    });
    ctx.body.line(`tinyc_mul_s8(&${params}, ${ctx.tensor(a)}, ${ctx.tensor(b)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};
