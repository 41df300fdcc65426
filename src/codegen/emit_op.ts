/**
 * One op's code: the kernel chosen at lowering emits its call through an
 * EmitContext (arena offsets from the plan, const data into flash, scratch,
 * direction, strides, a streamed call's rows). No switch over op kinds or
 * families here: the lowered op carries its kernel.
 */
import { assert } from "../diagnostics.js";
import { isConstant, tensorBytes, type Node, type Tensor } from "../compiler/ir.js";
import { constInt32, constInt8, tensorOf } from "../compiler/ops/common.js";
import { cInt32, CWriter } from "../kernels/cwriter.js";
import type { EmitContext, RowRange } from "../kernels/types.js";
import { loweredOp, type LoweredGraph } from "../lower/types.js";
import type { MemoryPlan } from "../memplan/plan.js";
import type { Target } from "../targets.js";
import type { SymbolTable } from "./naming.js";

export interface OpNote {
  readonly op: number;
  readonly kind: string;
  readonly message: string;
}

/**
 * One const symbol in flash and the op that emitted it first (weights shared
 * by two ops count for the first): its bytes, exact for arrays, estimated for
 * a struct (4 bytes a field: its C layout is the kernel header's).
 */
export interface ConstSymbol {
  readonly op: number;
  readonly symbol: string;
  readonly bytes: number;
  readonly exact: boolean;
}

const C_BYTES: Readonly<Record<string, number>> = { int8_t: 1, uint8_t: 1, int16_t: 2, int32_t: 4 };

/** What emission collects across ops: const data, the invoke body, notes, and which families' C files the code calls. */
export class ModelCode {
  readonly data = new CWriter();
  readonly body = new CWriter();
  readonly notes: OpNote[] = [];
  readonly constSymbols: ConstSymbol[] = [];
  /** The op whose code is being emitted (its const data is counted for it). */
  private op = -1;
  /** C file → the family (by name) shipping it. */
  readonly usedSources = new Map<string, string>();
  /** Families (by name) whose headers model.c includes. */
  readonly usedFamilies: Set<string>;
  private readonly constByTensor = new Map<number, string>();

  constructor(
    readonly l: LoweredGraph, readonly plan: MemoryPlan, readonly target: Target, readonly symbols: SymbolTable,
    readonly arena: (offset: number) => string, backend: string,
  ) {
    this.usedFamilies = new Set([backend]);
  }

  /** The flash symbol of a constant tensor, emitted on first use. */
  constant(t: Tensor): string {
    const existing = this.constByTensor.get(t.id);
    if (existing) return existing;
    const sym = this.symbols.take(`w${t.id}_${t.name.split(/[;/]/).pop() ?? ""}`.slice(0, 48));
    this.data.comment(`${t.name}: ${t.dtype} [${t.shape.join(", ")}]`);
    if (t.dtype === "int8") this.data.array(`static const int8_t ${sym}[${t.data!.length}] TINYC_ALIGNED(4) TINYC_WEIGHTS_PLACE`, constInt8(t), 32);
    else if (t.dtype === "int32") this.data.array(`static const int32_t ${sym}[${t.data!.length / 4}] TINYC_ALIGNED(4) TINYC_WEIGHTS_PLACE`, Array.from(constInt32(t), cInt32), 12);
    else throw new Error(`tinyc internal error: constant ${t.name} of type ${t.dtype} reached code generation`);
    this.data.line();
    this.constByTensor.set(t.id, sym);
    this.counted(sym, t.data!.length, true);
    return sym;
  }

  /** Records a const symbol of `bytes` for op `op` (by default the op being emitted). */
  counted(symbol: string, bytes: number, exact: boolean, op = this.op): void {
    this.constSymbols.push({ op, symbol, bytes, exact });
  }

  /** One op's kernel call (or a comment when it runs nothing); inside a segment, for the rows `rows`. */
  emitOp(node: Node, rows?: RowRange): void {
    const { plan, body } = this;
    this.op = node.index;
    const op = loweredOp(this.l, node);
    const choice = plan.elided.has(node.index) ? undefined : op.kernel;
    const ctx = this.context(node, rows, choice?.family);
    if (plan.elided.has(node.index)) body.comment("nothing to run: its inputs were written into their slices of the output");
    else if (!choice) body.comment(`op ${node.index} ${node.kind}: output aliases input (no code)`);
    else {
      if (choice.note && !rows) ctx.note(choice.note);
      choice.kernel.emit({ node, graph: this.l.graph, params: op.params as never, target: this.target }, ctx);
    }
  }

  /** What a kernel sees while it emits op `node`'s call. */
  private context(node: Node, rows: RowRange | undefined, family: string | undefined): EmitContext {
    const { plan, data, symbols, l } = this;
    const out = tensorOf(l.graph, node.outputs[0]!);
    const code = this;
    return {
      target: this.target, graph: l.graph, body: this.body, rows,
      reverse: plan.reverse.has(node.index),
      outputPixelStride: plan.pixelStride.get(out.id),
      tensor(id) {
        const t = tensorOf(l.graph, id);
        return isConstant(t) ? code.constant(t) : code.arena(plan.tensorOffsets.get(id)!);
      },
      table(hint, ctype, values) {
        const sym = symbols.take(hint);
        data.array(`static const ${ctype} ${sym}[${values.length}] TINYC_ALIGNED(4) TINYC_WEIGHTS_PLACE`, Array.from(values as ArrayLike<number>, (v) => cInt32(v)), 8);
        code.counted(sym, values.length * C_BYTES[ctype]!, true);
        return sym;
      },
      struct(hint, ctype, fields) {
        const sym = symbols.take(hint);
        data.block(`static const ${ctype} ${sym} TINYC_WEIGHTS_PLACE =`, () => {
          for (const [k, v] of Object.entries(fields)) data.line(`.${k} = ${typeof v === "number" ? cInt32(v) : v},`);
        }, "};");
        // A field is one value, or a brace list of them (a nested struct or array).
        const values = Object.values(fields).reduce<number>((n, v) => n + (typeof v === "string" && v.trim().startsWith("{") ? v.split(",").length : 1), 0);
        code.counted(sym, 4 * values, false);
        return sym;
      },
      scratch() {
        const s = plan.scratch.get(node.index);
        return s ? `(void *)${code.arena(s.offset)}` : "NULL";
      },
      note(message) {
        code.notes.push({ op: node.index, kind: node.kind, message });
      },
      source(file) {
        assert(family !== undefined, `op ${node.index} asked for ${file} but runs no kernel`);
        code.usedSources.set(file, family);
        code.usedFamilies.add(family);
      },
    };
  }

  /** The layer hook for each output of an op (whole tensors only). */
  hooks(node: Node): void {
    for (const t of node.outputs.map((id) => tensorOf(this.l.graph, id))) {
      const stride = this.plan.pixelStride.get(t.id), at = this.arena(this.plan.tensorOffsets.get(t.id)!);
      if (stride === undefined) this.body.line(`TINYC_LAYER_HOOK(${node.index}, ${at}, ${tensorBytes(t)});`);
      else {
        const channels = t.shape[t.shape.length - 1]!;
        this.body.line(`TINYC_LAYER_HOOK_ROWS(${node.index}, ${at}, ${tensorBytes(t) / channels}, ${channels}, ${stride});`);
      }
    }
  }
}
