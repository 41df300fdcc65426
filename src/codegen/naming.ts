/**
 * One naming module for emitted C symbols: every exported symbol and macro
 * carries one prefix derived from the model name (`tinyc_<model>_invoke`,
 * `TINYC_<MODEL>_ARENA_BYTES`); file-local symbols are checked for clashes.
 */
import { assert } from "../diagnostics.js";

export interface Names {
  /** e.g. tinyc_person_detect */
  readonly prefix: string;
  /** e.g. TINYC_PERSON_DETECT */
  readonly macro: string;
  readonly arena: string;
  /** The init function of a model whose arena the caller supplies (--arena extern). */
  readonly init: string;
  readonly invoke: string;
  readonly input: string;
  readonly output: string;
}

export function sanitize(name: string): string {
  let s = name.toLowerCase().replace(/[^a-z0-9_]+/g, "_").replace(/_+/g, "_").replace(/^_|_$/g, "");
  if (!/^[a-z]/.test(s)) s = `m_${s}`;
  return s || "model";
}

export function namesFor(modelName: string): Names {
  const prefix = `tinyc_${sanitize(modelName)}`;
  return {
    prefix,
    macro: prefix.toUpperCase(),
    arena: `${prefix}_arena`,
    init: `${prefix}_init`,
    invoke: `${prefix}_invoke`,
    input: `${prefix}_input`,
    output: `${prefix}_output`,
  };
}

/** Hands out file-local symbols, failing on a clash (two ops asking for one name). */
export class SymbolTable {
  private readonly used = new Set<string>();
  take(hint: string): string {
    const name = sanitize(hint);
    assert(!this.used.has(name), `C symbol '${name}' emitted twice`);
    this.used.add(name);
    return name;
  }
}
