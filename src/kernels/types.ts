/**
 * The contract of a kernel family: a set of C kernels (tinyc's portable ones,
 * CMSIS-NN's, ...) seen as one unit. For an op (its node, prepared parameters
 * and the target) a family says whether it implements it, how much scratch its
 * kernel needs, how its access order lets the output overlap a dying input,
 * whether it can write a strided output, and emits the call and the const data
 * in the layout its kernel reads. The op modules (src/compiler/ops) own the
 * op's semantics only; the planner and the code generator ask the family,
 * through the registry (registry.ts), never the op module.
 */
import type { Graph, Node, OpKind } from "../compiler/ir.js";
import type { CWriter } from "./cwriter.js";
import type { MemoryOption } from "../memory_options.js";
import type { Target } from "../targets.js";

/** One op as a kernel family sees it: `params` is what the op module's prepare() returned for it. */
export interface KernelOp<P = unknown> {
  readonly node: Node;
  readonly graph: Graph;
  readonly params: P;
  readonly target: Target;
}

/**
 * What a kernel's access order allows: its output may share bytes with input
 * `input` when that input dies at the op. With d = output offset − input offset
 * in bytes, the kernel run in its normal order is safe for every d ≤
 * `forward`; run in reverse element order (when it can) for every d ≥
 * `backward`.
 */
export interface OverlapCapability {
  /** Index into node.inputs. */
  readonly input: number;
  readonly option: MemoryOption;
  readonly forward: number;
  /** Absent when the kernel cannot run in reverse. */
  readonly backward?: number;
}

/** The rows one call of a streamed op computes, and its rings (see EmitContext.rows). */
export interface RowRange {
  readonly begin: string;
  readonly end: string;
  /** Rows of the ring holding the op's chained input and its output (0: a whole tensor; the input's may be a C expression). */
  readonly inRing: number | string;
  readonly outRing: number;
  /** Rows of the ring holding each of the segment's ringed tensors, by tensor id (absent: whole). */
  readonly rings: ReadonlyMap<number, number>;
}

/** What the code generator offers a kernel while it emits its call. */
export interface EmitContext {
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
   * one output pixel to the next (only for kernels with `stridedOutput`).
   */
  readonly outputPixelStride?: number;
  /** C expression for this op's scratch buffer (`void *`), or NULL when it needs none. */
  scratch(): string;
  /**
   * Set when the op runs inside a row-streamed segment (only for kernels with
   * `ringRows`): the call computes output rows [begin, end) (C expressions),
   * its input and output rings hold `inRing` and `outRing` rows (0: whole).
   */
  readonly rows?: RowRange;
  /** Records something the user should know about this op's code. */
  note(message: string): void;
  /** Declares that the emitted code calls a C source of this family (a file name in the family's `sources.dir`). */
  source(file: string): void;
}

/** One family's kernel for one op kind. Every member but `emit` is optional; absent means "no" (or 0 bytes). */
export interface OpKernel<P = never> {
  /**
   * Why the family cannot run this instance of the op (e.g. CMSIS-NN's add
   * does not broadcast); undefined when it can. The family's fallback runs it
   * then, and the report says so.
   */
  unsupported?(op: KernelOp<P>): string | undefined;
  /** Bytes of scratch memory the kernel needs during this op (lives in the arena). */
  scratchBytes?(op: KernelOp<P>): number;
  /**
   * How the output may overlap a dying input, in order of preference, from the
   * kernel's exact access order; the planner uses the first whose input dies
   * at the op.
   */
  overlap?(op: KernelOp<P>): readonly OverlapCapability[];
  /** True when the kernel can write output pixels at a stride (into a concatenation's slice). */
  stridedOutput?(op: KernelOp<P>): boolean;
  /**
   * True when the kernel takes the op's padding as explicit amounts (top,
   * bottom, left, right independently; node.options.padding), so that a PAD in
   * front of it can be folded into it.
   */
  explicitPadding?(op: KernelOp<P>): boolean;
  /**
   * True when the kernel can compute a range of output rows reading its input
   * from a ring buffer and writing its output into one (row index modulo the
   * ring height), as EmitContext.rows asks.
   */
  ringRows?(op: KernelOp<P>): boolean;
  /** Instructions per output pixel and window row it reads from a ring, where this instance differs from its family's `cost.ringRowReadOf`. */
  ringRowRead?(op: KernelOp<P>): number;
  /** Emits the kernel call (and its const data) into `ctx`. */
  emit(op: KernelOp<P>, ctx: EmitContext): void;
}

/**
 * A family's kernels by op kind. A string instead of a kernel says why the
 * family has none for that kind (the fallback runs it, and the report says
 * why); a kind left out has no kernel and no fallback reason worth reporting.
 */
export type KernelTable = { readonly [K in OpKind]?: OpKernel<any> | string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The family's C sources shipped beside model.c. */
export interface FamilySources {
  /** Absolute folder holding the family's C files. */
  readonly dir: string;
  /** Headers shipped with any of the family's sources (the first is the one model.c includes). */
  readonly headers: readonly string[];
}

/** Compile options a family may read (e.g. where the user's CMSIS-NN tree is). */
export type FamilyOptions = Readonly<Record<string, unknown>>;

/**
 * What a family needs from outside tinyc, resolved once per compile: headers,
 * and how firmware is built against it (include folders, libraries, lines for
 * the generated Makefile and CMakeLists.txt).
 */
export interface FamilySetup {
  /** Headers model.c includes when this family is the backend (beyond `sources.headers`). */
  readonly includes: readonly string[];
  /** Include folders model.c needs to build (fails with a coded diagnostic when the tree is unknown). */
  includeDirs(): readonly string[];
  /** Static libraries to link, built for the target with this gcc. */
  libraries(target: Target, gcc: string): Promise<readonly string[]>;
  /** Lines added to the generated Makefile (after SRCS) and CMakeLists.txt (after the library target `lib`). */
  makefile(): readonly string[];
  cmake(lib: string): readonly string[];
}

export interface KernelFamily<Name extends string = string> {
  /** The `--backend` name. */
  readonly name: Name;
  /** How reports name the family's kernels, e.g. "tinyc's portable kernel". */
  readonly describes: string;
  /** The family that runs the ops (or op instances) this one does not implement. */
  readonly fallback?: string;
  readonly kernels: KernelTable;
  readonly sources?: FamilySources;
  /** The core feature the family needs and this target lacks (e.g. "DSP extension"), so it cannot be the backend there; undefined when it can. */
  missingFeature?(target: Target): string | undefined;
  /** True when the family is the default backend on this target; the first family in the registry that says so wins, else portable. */
  defaultOn?(target: Target): boolean;
  /** Something the report should say about the family on this target (e.g. a faster family it does not use). */
  targetNote?(target: Target): string | undefined;
  /** Binds the family to the user's environment; families with nothing outside tinyc leave it out. */
  setup?(options: FamilyOptions): FamilySetup;
  /** Why none of its kernels computes rows from rings (row streaming), for the plan report; absent when some do. */
  readonly noRowStreaming?: string;
  /** What its kernels cost in instructions, as estimated for the planner (row streaming's overhead bound); absent: DEFAULT_COST. */
  readonly cost?: KernelCost;
}

/**
 * A kernel family's instructions, estimated (measured once on Cortex-M4 with
 * `tinyc run --layers`; `npm run bench` prints the estimate beside the
 * measured figure, so drift shows). An op's work is its MACs, or its output
 * elements where it has fewer MACs than that.
 */
export interface KernelCost {
  /** Instructions per unit of work, by op kind; kinds left out cost `perWork`. */
  readonly perWorkOf: { readonly [K in OpKind]?: number };
  readonly perWork: number;
  /** Instructions one more call of a kernel costs inside a row-streamed segment (the call, its parameters, its per-call set-up). */
  readonly perCall: number;
  /** By op kind, the share of an op's instructions its kernel adds when it reads or writes a ring (the row index modulo the ring height); kinds left out add none. */
  readonly ringShareOf: { readonly [K in OpKind]?: number };
  /** By op kind, the instructions its kernel adds per output pixel and window row it reads from a ring (finding the row's slot); kinds left out add none. */
  readonly ringRowReadOf: { readonly [K in OpKind]?: number };
}

export const DEFAULT_COST: KernelCost = { perWorkOf: {}, perWork: 2, perCall: 300, ringShareOf: {}, ringRowReadOf: {} };
