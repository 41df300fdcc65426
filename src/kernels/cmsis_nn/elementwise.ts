/** ADD and MUL through arm_elementwise_add_s8 / arm_elementwise_mul_s8 (TFLite's int8 arithmetic), same shapes only. */
import { elementCount } from "../../compiler/ir.js";
import type { AddParams } from "../../compiler/ops/add.js";
import { tensorOf } from "../../compiler/ops/common.js";
import type { MulParams } from "../../compiler/ops/mul.js";
import { broadcasts } from "../../compiler/ops/shapes.js";
import { binaryOverlap } from "../access.js";
import type { EmitContext, KernelOp, OpKernel } from "../types.js";
import { checked } from "./call.js";

const broadcasting = ({ node, graph, params }: KernelOp<AddParams | MulParams>) =>
  broadcasts(params.shape, tensorOf(graph, node.inputs[0]!).shape, tensorOf(graph, node.inputs[1]!).shape);

/** The operands in emission order. */
function operands({ node, params }: KernelOp<AddParams | MulParams>, ctx: EmitContext) {
  return { size: elementCount(params.shape.dims), a: ctx.tensor(node.inputs[0]!), b: ctx.tensor(node.inputs[1]!), out: ctx.tensor(node.outputs[0]!) };
}

// CMSIS-NN's element-wise kernels read each chunk before writing it: the same overlap as tinyc's.
export const add: OpKernel<AddParams> = {
  unsupported: (op) => (broadcasting(op) ? "CMSIS-NN's element-wise add does not broadcast" : undefined),
  overlap: binaryOverlap,
  emit(op, ctx) {
    const p = op.params, o = operands(op, ctx);
    checked(ctx, op.node.index, `arm_elementwise_add_s8(${o.a}, ${o.b}, ${p.input1Offset}, ${p.input1.multiplier}, ${p.input1.shift}, ` +
      `${p.input2Offset}, ${p.input2.multiplier}, ${p.input2.shift}, ${p.leftShift}, ${o.out}, ${p.outputOffset}, ${p.output.multiplier}, ${p.output.shift}, ` +
      `${p.actMin}, ${p.actMax}, ${o.size})`);
  },
};

export const mul: OpKernel<MulParams> = {
  unsupported: (op) => (broadcasting(op) ? "CMSIS-NN's element-wise multiply does not broadcast" : undefined),
  overlap: binaryOverlap,
  emit(op, ctx) {
    const p = op.params, o = operands(op, ctx);
    checked(ctx, op.node.index, `arm_elementwise_mul_s8(${o.a}, ${o.b}, ${p.input1Offset}, ${p.input2Offset}, ${o.out}, ${p.outputOffset}, ` +
      `${p.output.multiplier}, ${p.output.shift}, ${p.actMin}, ${p.actMax}, ${o.size})`);
  },
};
