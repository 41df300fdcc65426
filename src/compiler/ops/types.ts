/**
 * The contract every op module fulfils. One module owns its op's semantics:
 * reading its options from the flatbuffer, validation, shape, requantization
 * parameters precomputed on the host, the TypeScript reference evaluation
 * (bit-exact with TensorFlow Lite's reference kernels) and MACs. How a kernel
 * runs the op (C emission, scratch, overlap) belongs to the kernel families
 * (src/kernels), which read the op's prepared parameters. The reference
 * interpreter, the planner and the code generator are drivers over the
 * registry in index.ts; none of them switches over op kinds.
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import type { ExplicitPadding, Graph, NodeOf, OpKind, TensorData } from "../ir.js";
import type { Builder } from "flatbuffers";
import type { FlatTable } from "../tflite/flat.js";
import type { WrittenOptions } from "../tflite/options.js";

/** Where a diagnostic points: the model file and the op's index. */
export interface OpSite {
  readonly file: string;
  readonly op: number;
}

export interface OpModule<K extends OpKind, P> {
  readonly kind: K;
  /** True when the output is a view of the (first) input's bytes: no kernel runs. */
  readonly aliasesInput?: boolean;
  /** True when the output depends on the inputs' (static) shapes only: the op always folds to a constant. */
  readonly readsShapeOnly?: boolean;
  /** True for ops with more than one output (SPLIT, UNPACK): evaluate then returns one value per output, in order. */
  readonly multipleOutputs?: boolean;
  parseOptions(options: FlatTable | undefined, site: OpSite): NodeOf<K>["options"];
  /** The write side of parseOptions (the .tflite writer); ops without options leave it out. */
  writeOptions?(b: Builder, options: NodeOf<K>["options"]): WrittenOptions;
  /** Checks dtypes, shapes, quantization and attributes; reports every problem into `bag`. */
  validate(node: NodeOf<K>, graph: Graph, bag: DiagnosticBag, site: OpSite): void;
  /** Host-side precomputation (requantization multipliers, padding, ranges). */
  prepare(node: NodeOf<K>, graph: Graph): P;
  /**
   * Reference evaluation; `inputs[i]` holds the data of `node.inputs[i]` (constants included).
   * Returns the output's data, or one per output for an op with `multipleOutputs`.
   */
  evaluate(node: NodeOf<K>, graph: Graph, params: P, inputs: readonly TensorData[]): TensorData | readonly TensorData[];
  macs(node: NodeOf<K>, graph: Graph): number;
  /**
   * How output rows read input rows, for an op that can run band by band (row
   * streaming: window ops, SPACE_TO_DEPTH, a residual ADD); absent for other ops.
   */
  rows?(node: NodeOf<K>, graph: Graph, params: P): RowGeometry;
  /**
   * For an op whose output is its inputs laid side by side (CONCATENATION):
   * where each input's bytes go; undefined for an instance that does more than
   * copy (a fused activation).
   */
  slices?(node: NodeOf<K>, graph: Graph, params: P): SliceLayout | undefined;
  /**
   * For a padding op (PAD, PADV2): the height and width padding it adds and
   * the int8 value it pads with; undefined when it pads another axis.
   */
  spatialPadding?(node: NodeOf<K>, graph: Graph, params: P): { readonly padding: ExplicitPadding; readonly value: number } | undefined;
  /**
   * For an op with padding of its own (convolutions): the same op reading
   * `input` instead, with `extra` added to its padding, and its padding as
   * explicit amounts; undefined when that op would not give the output's shape.
   */
  withPadding?(node: NodeOf<K>, graph: Graph, params: P, input: number, extra: ExplicitPadding): { readonly node: NodeOf<K>; readonly padding: ExplicitPadding } | undefined;
}

/**
 * One op along the rows (row streaming): output row y reads input rows
 * y * strideH - padTop + k * dilH, k < kH, those in [0, inH). A `residual` op
 * (an ADD joining a segment's input) also reads row y of that input, which has
 * its output's rows.
 */
export interface RowOp {
  readonly inH: number;
  readonly outH: number;
  readonly kH: number;
  readonly strideH: number;
  readonly dilH: number;
  readonly padTop: number;
  readonly residual?: boolean;
}

/** An op's rows as the planner sees them: its RowOp, its window's width, and whether it can only start a segment. */
export interface RowGeometry extends RowOp {
  /** Taps across the window (1 for ops without one). */
  readonly kW: number;
  /** True when a call reads whole input rows at once (SPACE_TO_DEPTH): the op can only start a segment. */
  readonly startsSegment?: boolean;
}

/** Where the inputs of a joining op go in its output: for each of `outer` rows, input k's `inner` bytes at `offset`. */
export interface SliceLayout {
  /** Product of the dims before the axis. */
  readonly outer: number;
  readonly parts: readonly { readonly inner: number; readonly offset: number }[];
  /** Bytes of one output row. */
  readonly outInner: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpModule = OpModule<any, any>;

/** Each output's data from an evaluation, in the node's output order. */
export function outputValues(result: TensorData | readonly TensorData[]): readonly TensorData[] {
  return Array.isArray(result) ? result : [result as TensorData];
}
