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
import type { Graph, NodeOf, OpKind, TensorData } from "../ir.js";
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
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpModule = OpModule<any, any>;

/** Each output's data from an evaluation, in the node's output order. */
export function outputValues(result: TensorData | readonly TensorData[]): readonly TensorData[] {
  return Array.isArray(result) ? result : [result as TensorData];
}
