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

/**
 * The memory options a plan may use, each on by default and each can be turned
 * off for comparison (`--disable`): element-wise ops writing over an input that
 * dies at them; depthwise convolutions writing over their input (one row
 * behind); convolutions and pools whose output overlaps their dying input by
 * the margin their loop order allows; concatenation inputs written by their
 * producers straight into their slice of the output; and operator reordering.
 */
export type MemoryOption = "elementwise-inplace" | "depthwise-inplace" | "overlap" | "concat-slices" | "reorder";
export const MEMORY_OPTIONS: readonly MemoryOption[] = ["elementwise-inplace", "depthwise-inplace", "overlap", "concat-slices", "reorder"];

/**
 * What an op's kernel (for one backend and target) allows: its output may share
 * bytes with input `input` when that input dies at the op. With d = output
 * offset − input offset in bytes, the kernel run in its normal order is safe for
 * every d ≤ `forward`; run in reverse element order (when it can) for every
 * d ≥ `backward`.
 */
export interface OverlapCapability {
  /** Index into node.inputs. */
  readonly input: number;
  readonly option: MemoryOption;
  readonly forward: number;
  /** Absent when the kernel cannot run in reverse. */
  readonly backward?: number;
}

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
  /** True when the planner placed the output above an input it overlaps: run the kernel in reverse element order. */
  readonly reverse: boolean;
  /**
   * Set when the output is a slice of a concatenation's output: elements from
   * one output pixel to the next (only for ops with `stridedOutput`).
   */
  readonly outputPixelStride?: number;
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
  /** True when the kernel (for this backend) can write output pixels at a stride: it may write into a concatenation's slice. */
  stridedOutput?(backend: Backend): boolean;
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
  /**
   * How the output may overlap a dying input under this backend and target, in
   * order of preference; the planner uses the first whose input dies at the op.
   * Ops without it never overlap.
   */
  overlap?(node: NodeOf<K>, graph: Graph, params: P, backend: Backend, target: Target): readonly OverlapCapability[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOpModule = OpModule<any, any>;
