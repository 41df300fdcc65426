/**
 * The DSP family's element-wise functions of one int8 input (HARD_SWISH,
 * LOGISTIC, TANH, LEAKY_RELU) as a 256-byte table
 * (templates/c/dsp/tinyc_dsp_lookup.c): the compiler runs the op's own
 * reference arithmetic on every int8 value, so the table is TFLite's output
 * by construction, and a run costs a load per element whatever the function.
 */
import { elementCount } from "../../compiler/ir.js";
import { tensorOf } from "../../compiler/ops/common.js";
import { opModule } from "../../compiler/ops/index.js";
import { elementwiseOverlap } from "../access.js";
import type { KernelOp, OpKernel } from "../types.js";

/** The op's output for every int8 input, indexed by the input byte as unsigned (index 128 holds the output for -128). */
export function lookupTable({ node, graph, params }: KernelOp<unknown>): Int8Array {
  const bytes = Int8Array.from({ length: 256 }, (_, i) => (i << 24) >> 24);
  const out = opModule(node).evaluate(node as never, graph, params, [bytes]);
  if (!(out instanceof Int8Array) || out.length !== 256) throw new Error(`${node.kind} is not an element-wise int8 function`);
  return out;
}

export const lookup: OpKernel<unknown> = {
  unsupported({ node, graph }) {
    const x = tensorOf(graph, node.inputs[0]!), y = tensorOf(graph, node.outputs[0]!);
    if (x.dtype !== "int8" || y.dtype !== "int8") return `the DSP family's table lookup takes int8 to int8 (here ${x.dtype} to ${y.dtype})`;
    return undefined;
  },
  overlap: () => elementwiseOverlap([0]),
  emit(op, ctx) {
    const { node, graph } = op;
    const table = ctx.table(`op${node.index}_table`, "int8_t", lookupTable(op));
    ctx.source("tinyc_dsp_lookup.c");
    ctx.body.line(`tinyc_dsp_lookup_s8(${elementCount(tensorOf(graph, node.inputs[0]!).shape)}, ${table}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};
