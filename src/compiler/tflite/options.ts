/**
 * Writing op options into a .tflite flatbuffer: the write side of each op's
 * parseOptions. Field ids come from schema.ts; enum values are positions in
 * its PADDINGS / ACTIVATIONS lists.
 */
import type { Builder } from "flatbuffers";
import type { Activation, ExplicitPadding, Padding } from "../ir.js";
import { ACTIVATIONS, PADDINGS } from "./schema.js";

/** What an op writes: its BuiltinOptions union tag and the table's offset (0/0 for none). */
export interface WrittenOptions {
  readonly type: number;
  readonly offset: number;
}

export const NO_OPTIONS: WrittenOptions = { type: 0, offset: 0 };

export function paddingCode(p: Padding | ExplicitPadding): number {
  // Explicit amounts exist only after PAD folding, inside compile(); the .tflite format has SAME and VALID.
  if (typeof p === "object") throw new Error("tinyc internal error: a convolution with explicit padding (a folded PAD) cannot be written to .tflite");
  return PADDINGS.indexOf(p);
}
export const activationCode = (a: Activation) => ACTIVATIONS.indexOf(a);

type Field =
  | { readonly id: number; readonly i8: number; readonly def?: number }
  | { readonly id: number; readonly i32: number; readonly def?: number }
  | { readonly id: number; readonly f32: number; readonly def?: number }
  | { readonly id: number; readonly bool: boolean }
  | { readonly id: number; readonly offset: number };

/** One options table from a list of fields (default values are left out, as flatc does). */
export function optionsTable(b: Builder, type: number, fields: readonly Field[]): WrittenOptions {
  const slots = fields.length ? Math.max(...fields.map((f) => f.id)) + 1 : 0;
  b.startObject(slots);
  for (const f of fields) {
    if ("i8" in f) b.addFieldInt8(f.id, f.i8, f.def ?? 0);
    else if ("i32" in f) b.addFieldInt32(f.id, f.i32, f.def ?? 0);
    else if ("f32" in f) b.addFieldFloat32(f.id, f.f32, f.def ?? 0);
    else if ("bool" in f) b.addFieldInt8(f.id, f.bool ? 1 : 0, 0);
    else b.addFieldOffset(f.id, f.offset, 0);
  }
  return { type, offset: b.endObject() };
}

export function int32Vector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}
