/**
 * The subset of TensorFlow Lite's flatbuffer schema tinyc reads and writes: field
 * ids (vtable slots) and enum values. These are facts of the file format
 * (schema.fbs, file identifier "TFL3"); a union field takes two ids, its type tag
 * first.
 */
import type { Activation, DType, Padding } from "../ir.js";

export const FILE_IDENTIFIER = "TFL3";

export const Model = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;
export const OperatorCode = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const SubGraph = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const Tensor = {
  shape: 0, type: 1, buffer: 2, name: 3, quantization: 4, isVariable: 5, sparsity: 6, shapeSignature: 7,
} as const;
export const QuantizationParameters = {
  min: 0, max: 1, scale: 2, zeroPoint: 3, detailsType: 4, details: 5, quantizedDimension: 6,
} as const;
export const Operator = {
  opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4, customOptions: 5,
} as const;
export const Buffer = { data: 0, offset: 1, size: 2 } as const;

export const Conv2DOptions = { padding: 0, strideW: 1, strideH: 2, activation: 3, dilationW: 4, dilationH: 5 } as const;
export const DepthwiseConv2DOptions = {
  padding: 0, strideW: 1, strideH: 2, depthMultiplier: 3, activation: 4, dilationW: 5, dilationH: 6,
} as const;
export const Pool2DOptions = { padding: 0, strideW: 1, strideH: 2, filterW: 3, filterH: 4, activation: 5 } as const;
export const FullyConnectedOptions = { activation: 0, weightsFormat: 1, keepNumDims: 2, asymmetricQuantizeInputs: 3 } as const;
export const SoftmaxOptions = { beta: 0 } as const;
export const ReshapeOptions = { newShape: 0 } as const;
export const AddOptions = { activation: 0 } as const;
export const MulOptions = { activation: 0 } as const;
export const ConcatenationOptions = { axis: 0, activation: 1 } as const;
export const ReducerOptions = { keepDims: 0 } as const;
export const SpaceToDepthOptions = { blockSize: 0 } as const;
export const StridedSliceOptions = { beginMask: 0, endMask: 1, ellipsisMask: 2, newAxisMask: 3, shrinkAxisMask: 4, offset: 5 } as const;
export const PackOptions = { valuesCount: 0, axis: 1 } as const;
export const ResizeNearestNeighborOptions = { alignCorners: 0, halfPixelCenters: 1 } as const;
export const LeakyReluOptions = { alpha: 0 } as const;
export const SubOptions = { activation: 0, potScaleInt16: 1 } as const;
export const SqueezeOptions = { squeezeDims: 0 } as const;
export const SplitOptions = { numSplits: 0 } as const;
export const SplitVOptions = { numSplits: 0 } as const;
export const UnpackOptions = { num: 0, axis: 1 } as const;
export const GatherOptions = { axis: 0, batchDims: 1 } as const;
/** Fields 0 and 1 (new_height, new_width) are deprecated. */
export const ResizeBilinearOptions = { alignCorners: 2, halfPixelCenters: 3 } as const;

/** BuiltinOptions union tags (position in the union, 1-based; 0 = NONE). */
export const BuiltinOptionsType = {
  Conv2DOptions: 1, DepthwiseConv2DOptions: 2, Pool2DOptions: 5, FullyConnectedOptions: 8,
  SoftmaxOptions: 9, ConcatenationOptions: 10, AddOptions: 11, ReshapeOptions: 17, SpaceToDepthOptions: 19,
  MulOptions: 21, PadOptions: 22, TransposeOptions: 26, ReducerOptions: 27, ResizeBilinearOptions: 15, StridedSliceOptions: 32, MaximumMinimumOptions: 39, GatherOptions: 23, SubOptions: 28, SqueezeOptions: 30, SplitOptions: 35, LogSoftmaxOptions: 36, PadV2Options: 43, SliceOptions: 48, TileOptions: 51, ExpandDimsOptions: 52, UnpackOptions: 64, FillOptions: 68, SplitVOptions: 79, ShapeOptions: 55, PackOptions: 59, ResizeNearestNeighborOptions: 74, LeakyReluOptions: 75, DequantizeOptions: 38, QuantizeOptions: 89, HardSwishOptions: 91,
} as const;

/**
 * TensorFlow Lite's BuiltinOperator enum: the name of every code (index =
 * code; undefined where the schema has a gap). The one table of builtin codes:
 * op modules are found by name, the writer writes a module's code from it, and
 * messages name unsupported operators from it.
 */
export const BUILTIN_OPERATORS: readonly (string | undefined)[] = [
  "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE",
  "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
  "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU",
  "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
  "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
  "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN",
  "SUB", "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN",
  "EXP", "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU",
  "MAXIMUM", "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL",
  "SELECT", "SLICE", "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL",
  "LOG", "SUM", "SQRT", "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX",
  "PACK", "LOGICAL_OR", "ONE_HOT", "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV",
  "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL", "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR",
  "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS", "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2",
  "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU", "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE",
  "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH", "IF", "WHILE", "NON_MAX_SUPPRESSION_V4",
  "NON_MAX_SUPPRESSION_V5", "SCATTER_ND", "SELECT_V2", "DENSIFY", "SEGMENT_SUM", "BATCH_MATMUL",
  "PLACEHOLDER_FOR_GREATER_OP_CODES", "CUMSUM", "CALL_ONCE", "BROADCAST_TO", "RFFT2D", "CONV_3D", undefined,
  undefined, undefined, "HASHTABLE", "HASHTABLE_FIND", "HASHTABLE_IMPORT", "HASHTABLE_SIZE", "REDUCE_ALL",
  "CONV_3D_TRANSPOSE", "VAR_HANDLE", "READ_VARIABLE", "ASSIGN_VARIABLE", "BROADCAST_ARGS",
  "RANDOM_STANDARD_NORMAL", "BUCKETIZE", "RANDOM_UNIFORM", "MULTINOMIAL", "GELU", "DYNAMIC_UPDATE_SLICE",
  "RELU_0_TO_1", "UNSORTED_SEGMENT_PROD", "UNSORTED_SEGMENT_MAX", "UNSORTED_SEGMENT_SUM", "ATAN2",
  "UNSORTED_SEGMENT_MIN", "SIGN", "BITCAST", "BITWISE_XOR", "RIGHT_SHIFT", "STABLEHLO_LOGISTIC",
  "STABLEHLO_ADD", "STABLEHLO_DIVIDE", "STABLEHLO_MULTIPLY", "STABLEHLO_MAXIMUM", "STABLEHLO_RESHAPE",
  "STABLEHLO_CLAMP", "STABLEHLO_CONCATENATE", "STABLEHLO_BROADCAST_IN_DIM", "STABLEHLO_CONVOLUTION",
  "STABLEHLO_SLICE", "STABLEHLO_CUSTOM_CALL", "STABLEHLO_REDUCE", "STABLEHLO_ABS", "STABLEHLO_AND",
  "STABLEHLO_COSINE", "STABLEHLO_EXPONENTIAL", "STABLEHLO_FLOOR", "STABLEHLO_LOG", "STABLEHLO_MINIMUM",
  "STABLEHLO_NEGATE", "STABLEHLO_OR", "STABLEHLO_POWER", "STABLEHLO_REMAINDER", "STABLEHLO_RSQRT",
  "STABLEHLO_SELECT", "STABLEHLO_SUBTRACT", "STABLEHLO_TANH", "STABLEHLO_SCATTER", "STABLEHLO_COMPARE",
  "STABLEHLO_CONVERT", "STABLEHLO_DYNAMIC_SLICE", "STABLEHLO_DYNAMIC_UPDATE_SLICE", "STABLEHLO_PAD",
  "STABLEHLO_IOTA", "STABLEHLO_DOT_GENERAL", "STABLEHLO_REDUCE_WINDOW", "STABLEHLO_SORT", "STABLEHLO_WHILE",
  "STABLEHLO_GATHER", "STABLEHLO_TRANSPOSE", "DILATE", "STABLEHLO_RNG_BIT_GENERATOR", "REDUCE_WINDOW",
  "STABLEHLO_COMPOSITE", "STABLEHLO_SHIFT_LEFT", "STABLEHLO_CBRT", "STABLEHLO_CASE",
];

/** The BuiltinOperator code of an operator name. */
export function builtinCode(name: string): number {
  const code = BUILTIN_OPERATORS.indexOf(name);
  if (code < 0) throw new Error(`tinyc internal error: ${name} is not a TensorFlow Lite builtin operator`);
  return code;
}

export const TENSOR_TYPES: readonly DType[] = [
  "float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16", "complex64", "int8",
  "float64", "complex128", "uint64", "resource", "variant", "uint32", "uint16", "int4",
];

export const PADDINGS: readonly Padding[] = ["SAME", "VALID"];
/** ActivationFunctionType; TANH (4) and SIGN_BIT (5) are not fused activations tinyc runs. */
export const ACTIVATIONS: readonly (Activation | "TANH" | "SIGN_BIT")[] = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"];
