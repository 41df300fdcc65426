/**
 * The cmsis-nn family: Arm's CMSIS-NN, from a source tree the user provides
 * (tinyc never ships it). All CMSIS-NN calls live in this folder; emission
 * uses the `_wrapper_` entry points where CMSIS-NN has them (their signatures
 * are the stable ones) and fills CMSIS-NN's parameter structs as const data.
 * Ops CMSIS-NN has no kernel for with TensorFlow Lite's semantics run tinyc's
 * portable kernels, and the report says why.
 */
import { join } from "node:path";
import type { FamilyOptions, KernelFamily } from "../types.js";
import { conv2d, depthwiseConv2d } from "./conv.js";
import { add, mul } from "./elementwise.js";
import { fullyConnected, softmax } from "./fully_connected.js";
import { cmsisNnLibrary } from "./library.js";
import { averagePool2d, maxPool2d } from "./pool.js";
import { cmsisRoot, resolveCmsisNn } from "./tree.js";

const text = (o: FamilyOptions, key: string) => (typeof o[key] === "string" ? (o[key] as string) : undefined);

export const cmsisNn: KernelFamily<"cmsis-nn"> = {
  name: "cmsis-nn",
  describes: "CMSIS-NN's kernel",
  fallback: "portable",
  noRowStreaming:
    "CMSIS-NN's kernels read whole tensors and a ring's rows wrap; tinyc does not copy bands in and out for them, so its ops stay out of " +
    "segments (only its portable-kernel ops may stream); tinyc's own kernels (--backend dsp where the core has the DSP extension, else portable) stream whole chains",
  kernels: {
    CONV_2D: conv2d, DEPTHWISE_CONV_2D: depthwiseConv2d, AVERAGE_POOL_2D: averagePool2d, MAX_POOL_2D: maxPool2d,
    FULLY_CONNECTED: fullyConnected, SOFTMAX: softmax, ADD: add, MUL: mul,
    HARD_SWISH: "CMSIS-NN has no int8 hard-swish",
    LOGISTIC: "CMSIS-NN has no int8 logistic with TFLite's arithmetic",
    RELU: "CMSIS-NN's ReLU clamps raw int8 values and ignores scale and zero point",
    RELU6: "CMSIS-NN's ReLU6 clamps raw int8 values and ignores scale and zero point",
    MEAN: "CMSIS-NN has no int8 mean with TFLite's rounding",
    PAD: "CMSIS-NN's pad is not in both supported versions",
    CONCATENATION: "block copies (CMSIS-NN's concatenation is the same copy)",
    SPACE_TO_DEPTH: "CMSIS-NN has no space-to-depth",
    QUANTIZE: "CMSIS-NN has no int8 (re)quantize",
    DEQUANTIZE: "CMSIS-NN has no dequantize",
    TRANSPOSE: "a 6-D index walk (CMSIS-NN's arm_transpose_s8 takes 4-D tensors)",
    STRIDED_SLICE: "CMSIS-NN has no strided slice",
    PACK: "block copies (CMSIS-NN has no pack)",
    MAXIMUM: "CMSIS-NN's arm_maximum_s8 is not in both supported versions",
    MINIMUM: "CMSIS-NN's arm_minimum_s8 is not in both supported versions",
    REDUCE_MAX: "CMSIS-NN has no int8 reduce-max",
    RESIZE_NEAREST_NEIGHBOR: "CMSIS-NN has no resize",
    LEAKY_RELU: "CMSIS-NN has no int8 leaky ReLU",
    PRELU: "CMSIS-NN has no int8 PReLU",
    RESIZE_BILINEAR: "CMSIS-NN has no resize",
    SLICE: "CMSIS-NN has no slice",
    SPLIT: "block copies (CMSIS-NN has no split)",
    SPLIT_V: "block copies (CMSIS-NN has no split)",
    UNPACK: "block copies (CMSIS-NN has no unpack)",
    PADV2: "CMSIS-NN's pad is not in both supported versions",
    SUB: "CMSIS-NN has no int8 subtraction with TFLite's arithmetic",
    TANH: "CMSIS-NN has no int8 tanh with TFLite's arithmetic",
    LOG_SOFTMAX: "CMSIS-NN has no int8 log-softmax",
    TILE: "CMSIS-NN has no tile",
    FILL: "CMSIS-NN has no fill",
    GATHER: "CMSIS-NN has no gather",
  },

  /** Options: `cmsisNn` (the tree, else CMSIS_NN_ROOT) and `cmsisNnVersion` (emit sources for a version without a tree). */
  setup(options) {
    const info = resolveCmsisNn(text(options, "cmsisNn"), text(options, "cmsisNnVersion"));
    return {
      includes: ["arm_nnfunctions.h"],
      includeDirs: () => [join(cmsisRoot(info), "Include")],
      libraries: async (target, gcc) => [await cmsisNnLibrary(info, target, gcc)],
      makefile: () => [
        `# CMSIS-NN ${info.version} source tree (not part of tinyc; see tinyc's README).`,
        `CMSIS_NN_ROOT ?= ${info.root ?? ""}`,
        "SRCS += $(filter-out %_f16.c %_f32.c,$(wildcard $(CMSIS_NN_ROOT)/Source/*/*.c))",
        "ALL_CFLAGS += -I$(CMSIS_NN_ROOT)/Include",
      ],
      cmake: (lib) => [
        `set(CMSIS_NN_ROOT "${info.root ?? ""}" CACHE PATH "CMSIS-NN ${info.version} source tree")`,
        'file(GLOB CMSIS_NN_SOURCES "${CMSIS_NN_ROOT}/Source/*/*.c")',
        'list(FILTER CMSIS_NN_SOURCES EXCLUDE REGEX "_f(16|32)\\.c$")',
        `target_sources(${lib} PRIVATE \${CMSIS_NN_SOURCES})`,
        `target_include_directories(${lib} PUBLIC \${CMSIS_NN_ROOT}/Include)`,
      ],
    };
  },
};
