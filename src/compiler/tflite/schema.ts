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

/** BuiltinOptions union tags (position in the union, 1-based; 0 = NONE). */
export const BuiltinOptionsType = {
  Conv2DOptions: 1, DepthwiseConv2DOptions: 2, Pool2DOptions: 5, FullyConnectedOptions: 8,
  SoftmaxOptions: 9, ConcatenationOptions: 10, AddOptions: 11, ReshapeOptions: 17, SpaceToDepthOptions: 19,
  MulOptions: 21, PadOptions: 22, ReducerOptions: 27, DequantizeOptions: 38, QuantizeOptions: 89, HardSwishOptions: 91,
} as const;

/** BuiltinOperator codes tinyc knows by name (for messages), and the ones it compiles. */
export const BUILTIN_OPERATOR_NAMES: Record<number, string> = {
  0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
  5: "DEPTH_TO_SPACE", 6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D",
  18: "MUL", 19: "RELU", 21: "RELU6", 22: "RESHAPE", 25: "SOFTMAX", 26: "SPACE_TO_DEPTH",
  28: "TANH", 32: "CUSTOM", 34: "PAD", 40: "MEAN", 41: "SUB", 43: "SQUEEZE", 49: "SPLIT",
  53: "CAST", 60: "PADV2", 83: "PACK", 114: "QUANTIZE", 117: "HARD_SWISH",
};

export const TENSOR_TYPES: readonly DType[] = [
  "float32", "float16", "int32", "uint8", "int64", "string", "bool", "int16", "complex64", "int8",
  "float64", "complex128", "uint64", "resource", "variant", "uint32", "uint16", "int4",
];

export const PADDINGS: readonly Padding[] = ["SAME", "VALID"];
/** ActivationFunctionType; TANH (4) and SIGN_BIT (5) are not fused activations tinyc runs. */
export const ACTIVATIONS: readonly (Activation | "TANH" | "SIGN_BIT")[] = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH", "SIGN_BIT"];
