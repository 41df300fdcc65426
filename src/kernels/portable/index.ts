/**
 * The portable family: tinyc's own C99 kernels (templates/c/portable), for any
 * CPU. Every op tinyc supports has a kernel here, so it is the fallback of the
 * other families. The window kernels run forwards or in reverse and write at
 * an output pixel stride; their overlap margins come from that exact order.
 */
import { join } from "node:path";
import { templatesDir } from "../../paths.js";
import type { KernelFamily } from "../types.js";
import { dequantize, hardSwish, leakyRelu, logistic, quantize, relu, relu6, tanh } from "./activations.js";
import { conv2d, depthwiseConv2d } from "./conv.js";
import {
  axisSplit, concatenation, fill, gather, mean, pack, pad, reduceMax, resizeBilinear, resizeNearestNeighbor, spaceToDepth, stridedSlice, tile, transpose,
} from "./data.js";
import { add, maximum, minimum, mul, prelu, sub } from "./elementwise.js";
import { fullyConnected, logSoftmax, softmax } from "./fully_connected.js";
import { averagePool2d, maxPool2d } from "./pool.js";

export const portable: KernelFamily<"portable"> = {
  name: "portable",
  describes: "tinyc's portable kernel",
  sources: { dir: join(templatesDir(), "portable"), headers: ["tinyc_kernels.h", "tinyc_fixedpoint.h"] },
  // Cortex-M4, the shared models: convolutions 8.4–9.0 instructions per MAC, depthwise 28, pools 20, softmax 680 per element; a row call about 180 more, a window row found in a ring about 5 per pixel; pools index ring rows per tap.
  cost: { perWorkOf: { CONV_2D: 8.7, DEPTHWISE_CONV_2D: 28, AVERAGE_POOL_2D: 20, MAX_POOL_2D: 20, FULLY_CONNECTED: 6.4, SOFTMAX: 680 }, perWork: 10, perCall: 180, ringShareOf: { AVERAGE_POOL_2D: 0.1, MAX_POOL_2D: 0.1 }, ringRowReadOf: { CONV_2D: 5, DEPTHWISE_CONV_2D: 5 } },
  kernels: {
    CONV_2D: conv2d, DEPTHWISE_CONV_2D: depthwiseConv2d, AVERAGE_POOL_2D: averagePool2d, MAX_POOL_2D: maxPool2d,
    FULLY_CONNECTED: fullyConnected, SOFTMAX: softmax, ADD: add, MUL: mul, HARD_SWISH: hardSwish, LOGISTIC: logistic,
    RELU: relu, RELU6: relu6, MEAN: mean, PAD: pad, CONCATENATION: concatenation, SPACE_TO_DEPTH: spaceToDepth,
    QUANTIZE: quantize, DEQUANTIZE: dequantize, TRANSPOSE: transpose,
    STRIDED_SLICE: stridedSlice, PACK: pack, MAXIMUM: maximum, MINIMUM: minimum, REDUCE_MAX: reduceMax,
    RESIZE_NEAREST_NEIGHBOR: resizeNearestNeighbor, LEAKY_RELU: leakyRelu, PRELU: prelu,
    RESIZE_BILINEAR: resizeBilinear, SLICE: stridedSlice, SPLIT: axisSplit, SPLIT_V: axisSplit, UNPACK: axisSplit,
    PADV2: pad, SUB: sub, TANH: tanh, LOG_SOFTMAX: logSoftmax, TILE: tile, FILL: fill, GATHER: gather,
  },
};
