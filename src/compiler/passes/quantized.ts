/**
 * Is the model quantized to int8 at all? A float model (or one quantized for
 * dynamic range only, whose activations stay float) would otherwise get one
 * unsupported-type error per tensor. This finds the ops that compute on float
 * activations — everything but a QUANTIZE reading a float model input and a
 * DEQUANTIZE writing a float model output, which tinyc runs — so legalize can
 * say once that the model is not quantized, how many tensors and which ops are
 * float, and which converter settings quantize it fully.
 */
import { isConstant, type Graph, type Node } from "../ir.js";
import { tensorOf } from "../ops/common.js";

export interface FloatOps {
  /** The ops that read or write a float activation, in the model's order. */
  readonly ops: readonly Node[];
  /** Float32 activation tensors (not constants; the converted model edges left out). */
  readonly tensors: number;
  /** True when some op computes float from float with int8 weights: dynamic-range ("hybrid") quantization. */
  readonly hybrid: boolean;
}

/** A float model edge tinyc converts: a model input read by QUANTIZE, or a model output written by DEQUANTIZE. */
function convertedEdge(g: Graph, node: Node, id: number): boolean {
  return (node.kind === "QUANTIZE" && node.inputs[0] === id && g.inputs.includes(id)) || (node.kind === "DEQUANTIZE" && node.outputs[0] === id && g.outputs.includes(id));
}

/** The model's float ops, or undefined when every activation is integer (or a converted edge). */
export function floatOps(g: Graph): FloatOps | undefined {
  const floats = new Set<number>();
  const ops = g.nodes.filter((n) => {
    const f = [...n.inputs, ...n.outputs].filter((id) => id >= 0 && !isConstant(tensorOf(g, id)) && tensorOf(g, id).dtype === "float32" && !convertedEdge(g, n, id));
    f.forEach((id) => floats.add(id));
    return f.length > 0;
  });
  if (ops.length === 0) return undefined;
  // Dynamic-range quantization: an op computing float from float (every activation it reads and writes) with int8 weights.
  const acts = (ids: readonly number[]) => ids.filter((id) => id >= 0 && !isConstant(tensorOf(g, id)));
  const hybrid = ops.some((n) => [...acts(n.inputs), ...acts(n.outputs)].every((id) => floats.has(id)) &&
    n.inputs.some((id) => id >= 0 && isConstant(tensorOf(g, id)) && tensorOf(g, id).dtype === "int8"));
  return { ops, tensors: floats.size, hybrid };
}

/** The advice for a float or hybrid model: the TensorFlow Lite converter settings of full integer quantization. */
export const FULL_INTEGER_QUANTIZATION =
  "converter.optimizations = [tf.lite.Optimize.DEFAULT], converter.representative_dataset = <a few hundred real inputs>, " +
  "converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8], converter.inference_input_type = tf.int8 and inference_output_type = tf.int8 (or tf.uint8 / tf.float32 at the edges)";
