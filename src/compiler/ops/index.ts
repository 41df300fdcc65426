/** The op registry: an explicit, ordered list. Adding an op adds one line here. */
import type { Node, OpKind } from "../ir.js";
import { averagePool2d } from "./average_pool2d.js";
import { conv2d } from "./conv2d.js";
import { depthwiseConv2d } from "./depthwise_conv2d.js";
import { fullyConnected } from "./fully_connected.js";
import { reshape } from "./reshape.js";
import { softmax } from "./softmax.js";
import { add } from "./add.js";
import { concatenation } from "./concatenation.js";
import { dequantize } from "./dequantize.js";
import { hardSwish } from "./hard_swish.js";
import { logistic } from "./logistic.js";
import { maxPool2d } from "./max_pool2d.js";
import { mean } from "./mean.js";
import { mul } from "./mul.js";
import { pad } from "./pad.js";
import { quantize } from "./quantize.js";
import { relu } from "./relu.js";
import { relu6 } from "./relu6.js";
import { spaceToDepth } from "./space_to_depth.js";
import { transpose } from "./transpose.js";
import { shape } from "./shape.js";
import { pack } from "./pack.js";
import { stridedSlice } from "./strided_slice.js";
import { maximum, minimum } from "./maximum_minimum.js";
import { reduceMax } from "./reduce_max.js";
import { resizeNearestNeighbor } from "./resize_nearest_neighbor.js";
import { leakyRelu } from "./leaky_relu.js";
import { prelu } from "./prelu.js";
import { resizeBilinear } from "./resize_bilinear.js";
import { slice } from "./slice.js";
import { squeeze } from "./squeeze.js";
import { expandDims } from "./expand_dims.js";
import { split } from "./split.js";
import { splitV } from "./split_v.js";
import { unpack } from "./unpack.js";
import { padV2 } from "./pad_v2.js";
import { sub } from "./sub.js";
import { tanh } from "./tanh.js";
import { logSoftmax } from "./log_softmax.js";
import { tile } from "./tile.js";
import { fill } from "./fill.js";
import { gather } from "./gather.js";
import { BUILTIN_OPERATORS } from "../tflite/schema.js";
import type { AnyOpModule } from "./types.js";

export const OPS: readonly AnyOpModule[] = [
  conv2d, depthwiseConv2d, averagePool2d, maxPool2d, fullyConnected, softmax, reshape,
  add, mul, hardSwish, logistic, relu, relu6, mean, pad, concatenation, spaceToDepth, quantize, dequantize,
  transpose, shape, pack, stridedSlice, maximum, minimum, reduceMax, resizeNearestNeighbor, leakyRelu, prelu, resizeBilinear,
  slice, squeeze, expandDims, split, splitV, unpack, padV2, sub, tanh, logSoftmax, tile, fill, gather,
];

const byKind = new Map<OpKind, AnyOpModule>(OPS.map((m) => [m.kind as OpKind, m]));


export function opModule(node: Node | OpKind): AnyOpModule {
  const kind = typeof node === "string" ? node : node.kind;
  const m = byKind.get(kind);
  if (!m) throw new Error(`tinyc internal error: no op module for ${kind}`);
  return m;
}

/** The module of a TensorFlow Lite builtin operator code (by its name in the schema's table), if tinyc supports it. */
export function opModuleForBuiltin(code: number): AnyOpModule | undefined {
  const name = BUILTIN_OPERATORS[code];
  return name === undefined ? undefined : byKind.get(name as OpKind);
}

export const SUPPORTED_OPS: readonly string[] = OPS.map((m) => m.kind);
