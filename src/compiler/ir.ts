/**
 * tinyc's intermediate representation: tensors with shape, dtype, quantization and
 * constant data; ops with typed attributes; nothing else. The .tflite reader
 * converts a flatbuffer into this once, at the edge; nothing downstream sees
 * schema objects.
 */

export type DType =
  | "float32" | "float16" | "float64" | "int32" | "int64" | "int16" | "int8" | "int4"
  | "uint8" | "uint16" | "uint32" | "uint64" | "bool" | "string" | "complex64" | "complex128"
  | "resource" | "variant";

export const DTYPE_BYTES: Partial<Record<DType, number>> = {
  float32: 4, float16: 2, float64: 8, int32: 4, int64: 8, int16: 2, int8: 1, uint8: 1,
  uint16: 2, uint32: 4, uint64: 8, bool: 1, complex64: 8, complex128: 16,
};

/** Affine quantization: real = scale * (q - zeroPoint), per tensor or per `axis`. */
export interface Quantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  /** The dimension that per-channel scales run along (TFLite's quantized_dimension). */
  readonly axis: number;
}

export interface Tensor {
  /** Index in the graph's tensor list. */
  readonly id: number;
  readonly name: string;
  /** NHWC for 4-D activations; OHWI for conv filters; [1, H, W, O] for depthwise. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly quant?: Quantization;
  /** Constant contents (little-endian), for weights and biases. */
  readonly data?: Uint8Array;
}

export type Padding = "SAME" | "VALID";

/**
 * A convolution's padding in elements on each side, independently (what a
 * folded PAD leaves): the window at output (y, x) starts at input row
 * y * stride − top, column x * stride − left; out-of-image cells count as the
 * input zero point.
 */
export interface ExplicitPadding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}
export type Activation = "NONE" | "RELU" | "RELU6" | "RELU_N1_TO_1";

export interface Conv2DOptions {
  /** SAME / VALID as in the .tflite file, or explicit amounts once a PAD has been folded in. */
  readonly padding: Padding | ExplicitPadding;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly activation: Activation;
}

export interface DepthwiseConv2DOptions extends Conv2DOptions {
  readonly depthMultiplier: number;
}

export interface Pool2DOptions {
  readonly padding: Padding;
  readonly strideH: number;
  readonly strideW: number;
  readonly filterH: number;
  readonly filterW: number;
  readonly activation: Activation;
}

export interface FullyConnectedOptions {
  readonly activation: Activation;
  readonly keepNumDims: boolean;
}

export interface SoftmaxOptions {
  readonly beta: number;
}

export interface ReshapeOptions {
  readonly newShape?: readonly number[];
}

export interface ActivationOptions {
  readonly activation: Activation;
}

export interface ConcatenationOptions {
  readonly axis: number;
  readonly activation: Activation;
}

export interface ReducerOptions {
  readonly keepDims: boolean;
}

export interface SpaceToDepthOptions {
  readonly blockSize: number;
}

export interface LeakyReluOptions {
  /** float32, as in the file. */
  readonly alpha: number;
}

export interface ResizeOptions {
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

export interface PackOptions {
  readonly valuesCount: number;
  readonly axis: number;
}

export interface StridedSliceOptions {
  readonly beginMask: number;
  readonly endMask: number;
  readonly ellipsisMask: number;
  readonly newAxisMask: number;
  readonly shrinkAxisMask: number;
  /** The end indices are offsets from the begin indices. */
  readonly offset: boolean;
}

export interface SqueezeOptions {
  /** The dimensions to drop (may be negative); empty drops every dimension of size 1. */
  readonly squeezeDims: readonly number[];
}

export interface SplitOptions {
  readonly numSplits: number;
}

export interface UnpackOptions {
  readonly num: number;
  readonly axis: number;
}

export interface GatherOptions {
  readonly axis: number;
  readonly batchDims: number;
}

/** Ops with no options. */
export type NoOptions = Readonly<Record<string, never>>;

interface NodeBase {
  /** Position in the model's operator list. */
  readonly index: number;
  /** Tensor ids; -1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

export type Node =
  | (NodeBase & { readonly kind: "CONV_2D"; readonly options: Conv2DOptions })
  | (NodeBase & { readonly kind: "DEPTHWISE_CONV_2D"; readonly options: DepthwiseConv2DOptions })
  | (NodeBase & { readonly kind: "AVERAGE_POOL_2D"; readonly options: Pool2DOptions })
  | (NodeBase & { readonly kind: "FULLY_CONNECTED"; readonly options: FullyConnectedOptions })
  | (NodeBase & { readonly kind: "SOFTMAX"; readonly options: SoftmaxOptions })
  | (NodeBase & { readonly kind: "RESHAPE"; readonly options: ReshapeOptions })
  | (NodeBase & { readonly kind: "ADD"; readonly options: ActivationOptions })
  | (NodeBase & { readonly kind: "MUL"; readonly options: ActivationOptions })
  | (NodeBase & { readonly kind: "MAX_POOL_2D"; readonly options: Pool2DOptions })
  | (NodeBase & { readonly kind: "CONCATENATION"; readonly options: ConcatenationOptions })
  | (NodeBase & { readonly kind: "MEAN"; readonly options: ReducerOptions })
  | (NodeBase & { readonly kind: "PAD"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "SPACE_TO_DEPTH"; readonly options: SpaceToDepthOptions })
  | (NodeBase & { readonly kind: "HARD_SWISH"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "LOGISTIC"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "RELU"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "RELU6"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "QUANTIZE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "DEQUANTIZE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "TRANSPOSE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "SHAPE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "MAXIMUM"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "MINIMUM"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "REDUCE_MAX"; readonly options: ReducerOptions })
  | (NodeBase & { readonly kind: "RESIZE_NEAREST_NEIGHBOR"; readonly options: ResizeOptions })
  | (NodeBase & { readonly kind: "LEAKY_RELU"; readonly options: LeakyReluOptions })
  | (NodeBase & { readonly kind: "PRELU"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "RESIZE_BILINEAR"; readonly options: ResizeOptions })
  | (NodeBase & { readonly kind: "PACK"; readonly options: PackOptions })
  | (NodeBase & { readonly kind: "STRIDED_SLICE"; readonly options: StridedSliceOptions })
  | (NodeBase & { readonly kind: "SLICE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "SQUEEZE"; readonly options: SqueezeOptions })
  | (NodeBase & { readonly kind: "EXPAND_DIMS"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "SPLIT"; readonly options: SplitOptions })
  | (NodeBase & { readonly kind: "SPLIT_V"; readonly options: SplitOptions })
  | (NodeBase & { readonly kind: "UNPACK"; readonly options: UnpackOptions })
  | (NodeBase & { readonly kind: "PADV2"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "SUB"; readonly options: ActivationOptions })
  | (NodeBase & { readonly kind: "TANH"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "LOG_SOFTMAX"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "TILE"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "FILL"; readonly options: NoOptions })
  | (NodeBase & { readonly kind: "GATHER"; readonly options: GatherOptions });

export type OpKind = Node["kind"];
export type NodeOf<K extends OpKind> = Extract<Node, { kind: K }>;

export interface Graph {
  /** A short name (from the file name), used for C symbols. */
  readonly name: string;
  /** Where the graph came from (a path), for diagnostics. */
  readonly source: string;
  readonly sha256: string;
  readonly tensors: readonly Tensor[];
  readonly nodes: readonly Node[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** Values of a tensor: int8 activations, uint8 / float32 at a model's interface, int32 shape arithmetic (folded at compile time). */
export type TensorData = Int8Array | Uint8Array | Float32Array | Int32Array;

/** The little-endian bytes of tensor data (what the firmware holds). */
export function dataBytes(d: TensorData): Uint8Array {
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Tensor data of `dtype` over raw little-endian bytes (copied, so alignment does not matter). */
export function fromBytes(bytes: Uint8Array, dtype: DType): TensorData {
  const copy = new Uint8Array(bytes);
  if (dtype === "float32") return new Float32Array(copy.buffer, 0, copy.length / 4);
  return dtype === "uint8" ? copy : new Int8Array(copy.buffer);
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensorBytes(t: Tensor): number {
  return elementCount(t.shape) * (DTYPE_BYTES[t.dtype] ?? 1);
}

export function isConstant(t: Tensor): boolean {
  return t.data !== undefined;
}

export function scalarQuant(t: Tensor): { scale: number; zeroPoint: number } {
  if (!t.quant || t.quant.scale.length === 0) throw new Error(`tinyc internal error: tensor ${t.name} has no quantization`);
  return { scale: t.quant.scale[0]!, zeroPoint: t.quant.zeroPoint[0] ?? 0 };
}
