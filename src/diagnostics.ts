/**
 * Diagnostics are data: one table of codes with a short title each. Every user
 * error tinyc reports is a Diagnostic carrying one of these codes, the file it
 * concerns and, where it applies, the op index and tensor name. The library
 * throws TinycError (possibly holding several diagnostics collected together);
 * the CLI prints them and computes the exit code. `assert` is only for broken
 * internal invariants.
 */

export const CODES = {
  TC100: "cannot read file",
  TC101: "not a TensorFlow Lite model",
  TC102: "truncated or corrupt model",
  TC103: "unsupported model structure",
  TC110: "unsupported operator",
  TC111: "unsupported tensor type",
  TC112: "float input/output not supported yet",
  TC113: "dynamic shape",
  TC114: "zero-sized or invalid shape",
  TC115: "unsupported operator options",
  TC116: "missing or invalid quantization",
  TC117: "inconsistent shapes",
  TC120: "bad input data",
  TC121: "bad argument",
  TC122: "backend not available on the target",
  TC123: "input cannot be streamed",
  TC130: "unknown target",
  TC131: "does not fit the budget",
  TC140: "toolchain missing",
  TC141: "firmware does not fit the part",
  TC142: "build failed",
  TC143: "emulator timed out",
  TC144: "firmware crashed",
  TC145: "output differs from the reference",
  TC146: "inference stopped",
  TC150: "CMSIS-NN not found",
  TC151: "unsupported CMSIS-NN version",
} as const;

export type Code = keyof typeof CODES;

export interface Diagnostic {
  readonly code: Code;
  readonly message: string;
  readonly file?: string;
  /** Operator index in the model's execution order. */
  readonly op?: number;
  readonly tensor?: string;
}

export class TinycError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: Diagnostic | readonly Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? (diagnostics as Diagnostic[]) : [diagnostics as Diagnostic];
    super(list.map(formatDiagnostic).join("\n"));
    this.name = "TinycError";
    this.diagnostics = list;
  }

  get code(): Code {
    return this.diagnostics[0]!.code;
  }
}

export function fail(code: Code, message: string, where: Omit<Diagnostic, "code" | "message"> = {}): never {
  throw new TinycError({ code, message, ...where });
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.op !== undefined ? `op ${d.op}` : undefined, d.tensor ? `tensor '${d.tensor}'` : undefined]
    .filter(Boolean)
    .join(", ");
  return `error ${d.code} (${CODES[d.code]})${where ? ` in ${where}` : ""}: ${d.message}`;
}

/** Collects user errors so they can be reported together. */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  add(code: Code, message: string, where: Omit<Diagnostic, "code" | "message"> = {}): void {
    this.items.push({ code, message, ...where });
  }
  get size(): number {
    return this.items.length;
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new TinycError(this.items);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`tinyc internal error: ${message}`);
}
