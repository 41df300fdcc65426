/**
 * The portable element-wise activations and (de)quantization
 * (templates/c/portable/tinyc_activations.c): RELU and int8 QUANTIZE as a
 * requantization, RELU6 as a clamp, HARD_SWISH, LOGISTIC, TANH, and the float32
 * conversions at the model's edges.
 */
import { elementCount } from "../../compiler/ir.js";
import { tensorOf } from "../../compiler/ops/common.js";
import type { DequantizeParams } from "../../compiler/ops/dequantize.js";
import type { HardSwishParams } from "../../compiler/ops/hard_swish.js";
import type { LeakyReluParams } from "../../compiler/ops/leaky_relu.js";
import type { LogisticParams } from "../../compiler/ops/logistic.js";
import type { Int8Like, QuantizeParams } from "../../compiler/ops/quantize.js";
import type { Relu6Params } from "../../compiler/ops/relu6.js";
import type { RequantParams } from "../../compiler/ops/requantize.js";
import { elementwiseOverlap } from "../access.js";
import type { EmitContext, KernelOp, OpKernel } from "../types.js";

const FILE = "tinyc_activations.c";

/** Elements of the op's first input. */
const size = ({ node, graph }: KernelOp<unknown>) => elementCount(tensorOf(graph, node.inputs[0]!).shape);

/** tinyc_requantize_<from>_<to>: int8 inside, uint8 only at the model's edges. */
function emitRequantize(ctx: EmitContext, op: KernelOp<unknown>, p: RequantParams, from: Int8Like = "int8", to: Int8Like = "int8"): void {
  const { node } = op;
  ctx.source(FILE);
  const params = ctx.struct(`op${node.index}_params`, "tinyc_requant_params", {
    size: size(op), input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
    multiplier: p.q.multiplier, shift: p.q.shift, act_min: p.actMin, act_max: p.actMax,
  });
  const input = `${from === "uint8" ? "(const uint8_t *)" : ""}${ctx.tensor(node.inputs[0]!)}`;
  const output = `${to === "uint8" ? "(uint8_t *)" : ""}${ctx.tensor(node.outputs[0]!)}`;
  const name = from === "int8" && to === "int8" ? "tinyc_requantize_s8" : `tinyc_requantize_${from === "uint8" ? "u8" : "s8"}_${to === "uint8" ? "u8" : "s8"}`;
  ctx.body.line(`${name}(&${params}, ${input}, ${output});`);
}

export const relu: OpKernel<RequantParams> = {
  overlap: () => elementwiseOverlap([0]),
  emit: (op, ctx) => emitRequantize(ctx, op, op.params),
};

export const relu6: OpKernel<Relu6Params> = {
  overlap: () => elementwiseOverlap([0]),
  emit(op, ctx) {
    const { node, params: p } = op;
    ctx.source(FILE);
    ctx.body.line(`tinyc_clamp_s8(${size(op)}, ${p.lower}, ${p.upper}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const hardSwish: OpKernel<HardSwishParams> = {
  overlap: () => elementwiseOverlap([0]),
  emit(op, ctx) {
    const { node, params: p } = op;
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_hard_swish_params", {
      size: size(op), input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
      output_multiplier_exponent: p.outputExponent, reluish_multiplier_exponent: p.reluishExponent,
      output_multiplier: p.outputMultiplier, reluish_multiplier: p.reluishMultiplier,
    });
    ctx.body.line(`tinyc_hard_swish_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

/** LOGISTIC and TANH: the same input rescaling, another fixed-point function. */
function sigmoidLike(fn: string): OpKernel<LogisticParams> {
  return {
    overlap: () => elementwiseOverlap([0]),
    emit(op, ctx) {
      const { node, params: p } = op;
      ctx.source(FILE);
      const params = ctx.struct(`op${node.index}_params`, "tinyc_logistic_params", {
        size: size(op), input_zero_point: p.inputZeroPoint,
        input_range_radius: p.inputRangeRadius, input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift,
      });
      ctx.body.line(`${fn}(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
    },
  };
}

export const logistic = sigmoidLike("tinyc_logistic_s8");
export const tanh = sigmoidLike("tinyc_tanh_s8");

export const quantize: OpKernel<QuantizeParams> = {
  // 8-bit to 8-bit only: float32 input elements are four bytes wide.
  overlap: ({ params: p }) => (p.from !== "float32" ? elementwiseOverlap([0]) : []),
  emit(op, ctx) {
    const { node, params: p } = op;
    if (p.from === "float32") {
      ctx.source(FILE);
      ctx.body.line(`tinyc_quantize_f32_s8(${size(op)}, ${p.scale.toPrecision(9)}f, ${p.zeroPoint}, (const float *)(const void *)${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
      return;
    }
    emitRequantize(ctx, op, p, p.from, p.to);
  },
};

export const leakyRelu: OpKernel<LeakyReluParams> = {
  overlap: () => elementwiseOverlap([0]),
  emit(op, ctx) {
    const { node, params: p } = op;
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_leaky_relu_params", {
      size: size(op), input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint,
      identity_multiplier: p.identity.multiplier, identity_shift: p.identity.shift, alpha_multiplier: p.alpha.multiplier, alpha_shift: p.alpha.shift, negate: p.negate ? 1 : 0,
    });
    ctx.body.line(`tinyc_leaky_relu_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const dequantize: OpKernel<DequantizeParams> = {
  emit(op, ctx) {
    const { node, params: p } = op;
    ctx.source(FILE);
    ctx.body.line(`tinyc_dequantize_s8_f32(${size(op)}, ${p.scale.toPrecision(9)}f, ${p.zeroPoint}, ${ctx.tensor(node.inputs[0]!)}, (float *)(void *)${ctx.tensor(node.outputs[0]!)});`);
  },
};
