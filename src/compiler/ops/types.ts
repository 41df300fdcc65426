/**
 * The contract every op module fulfils. One module owns everything about its op:
 * reading its options from the flatbuffer, validation, requantization parameters
 * precomputed on the host, the TypeScript reference evaluation (bit-exact with
 * TensorFlow Lite's reference kernels), cost, and C emission per backend. The
 * reference interpreter, the planner and the code generator are drivers over the
 * registry in index.ts; none of them switches over op kinds.
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import type { Graph, NodeOf, OpKind, TensorData } from "../ir.js";
import type { Builder } from "flatbuffers";
import type { FlatTable } from "../tflite/flat.js";
import type { WrittenOptions } from "../tflite/options.js";
import type { CWriter } from "../codegen/cwriter.js";
import type { Target } from "../../targets.js";

export type Backend = "portable" | "cmsis-nn";
export const BACKENDS: readonly Backend[] = ["portable", "cmsis-nn"];

/** Where a diagnostic points: the model file and the op's index. */
export interface OpSite {
  readonly file: string;
  readonly op: number;
}

/** What the code generator offers an op while it emits its call. */
export interface EmitContext {
  readonly backend: Backend;
  readonly target: Target;
  readonly graph: Graph;
  /** The statements of the invoke function. */
  readonly body: CWriter;
  /** C expression of type `int8_t *` (or `const int8_t *` for constants) for a tensor. */
  tensor(id: number): string;
  /** Emits a const table into flash and returns its symbol. */
  table(hint: string, ctype: "int8_t" | "int16_t" | "int32_t", values: ArrayLike<number>): string;
  /** Emits a const struct initializer into flash and returns its symbol. */
  struct(hint: string, ctype: string, fields: Readonly<Record<string, number | string>>): string;
  /** C expression for this op's scratch buffer (`void *`), or NULL when it needs none. */
  scratch(): string;
  /** Records something the user should know about this op's code (e.g. a portable fallback under cmsis-nn). */
  note(message: string): void;
  /** Declares that the emitted code calls a portable kernel from templates/c (a file name). */
  kernel(file: string): void;
  /** CMSIS-NN facts for the tree being targeted (only under the cmsis-nn backend). */
  readonly cmsis?: import("../codegen/cmsis_nn.js").CmsisNnInfo;
}

export interface OpModule<K extends OpKind, P> {
  readonly kind: K;
  /** TensorFlow Lite BuiltinOperator code. */
  readonly builtinCode: number;
  /** True when the output is a view of the (first) input's bytes: no kernel runs. */
  readonly aliasesInput?: boolean;
  parseOptions(options: FlatTable | undefined, site: OpSite): NodeOf<K>["options"];
  /** The write side of parseOptions (the .tflite writer); ops without options leave it out. */
  writeOptions?(b: Builder, options: NodeOf<K>["options"]): WrittenOptions;
  /** Checks dtypes, shapes, quantization and attributes; reports every problem into `bag`. */
  validate(node: NodeOf<K>, graph: Graph, bag: DiagnosticBag, site: OpSite): void;
  /** Host-side precomputation (requantization multipliers, padding, ranges). */
  prepare(node: NodeOf<K>, graph: Graph): P;
  /** Reference evaluation; `inputs[i]` holds the data of `node.inputs[i]` (constants included). */
  evaluate(node: NodeOf<K>, graph: Graph, params: P, inputs: readonly TensorData[]): TensorData;
  macs(node: NodeOf<K>, graph: Graph): number;
  /** Bytes of scratch memory the kernel needs during this op (lives in the arena). */
  scratchBytes(node: NodeOf<K>, graph: Graph, params: P, backend: Backend, target: Target): number;
  emit(node: NodeOf<K>, graph: Graph, params: P, ctx: EmitContext): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpModule = OpModule<any, any>;
