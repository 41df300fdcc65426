/**
 * What SPLIT, SPLIT_V and UNPACK share: the input is cut along one axis into
 * consecutive pieces, one per output, moved without rescaling (TensorFlow Lite
 * Micro's split.cc, split_v.cc and unpack.cc copy bytes). Each output is
 * `outer` rows of `inner` elements, taken at `offset` within each input row of
 * `inInner` elements. int8 data runs on device; int32 shape data folds.
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import { elementCount, type Graph, type TensorData } from "../ir.js";
import { emptyLike, expectSameQuant, expectShape, tensorOf } from "./common.js";
import type { OpSite } from "./types.js";

export interface AxisSplitParams {
  /** Product of the input's dimensions before the axis. */
  readonly outer: number;
  /** Elements per outer row of the input. */
  readonly inInner: number;
  /** Each output's elements per outer row, and where they start in the input row. */
  readonly parts: readonly { readonly inner: number; readonly offset: number }[];
}

/** The axis in [0, rank), or undefined. */
export function normalAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/**
 * Checks the data type, the quantization and each output's shape for pieces of
 * `sizes` along `axis`; `dropAxis` (UNPACK) removes the axis from the outputs.
 */
export function validateAxisSplit(
  inId: number, outputs: readonly number[], axis: number, sizes: readonly number[], dropAxis: boolean,
  graph: Graph, bag: DiagnosticBag, site: OpSite,
): void {
  const input = tensorOf(graph, inId);
  if (input.dtype !== "int8" && input.dtype !== "int32") {
    bag.add("TC111", "split", { dtype: input.dtype }, { ...site, tensor: input.name });
    return;
  }
  if (sizes.length !== outputs.length) {
    bag.add("TC103", "pieces", { outputs: outputs.length, pieces: sizes.length }, site);
    return;
  }
  outputs.forEach((id, k) => {
    const out = tensorOf(graph, id);
    if (out.dtype !== input.dtype) {
      bag.add("TC111", "piece", { index: k, dtype: out.dtype, inputType: input.dtype }, { ...site, tensor: out.name });
      return;
    }
    if (input.dtype === "int8" && !expectSameQuant(graph, inId, id, "the input", bag, site)) return;
    const shape = dropAxis ? input.shape.filter((_, a) => a !== axis) : input.shape.map((d, a) => (a === axis ? sizes[k]! : d));
    expectShape(graph, id, shape, `output ${k}`, bag, site);
  });
}

export function axisSplitParams(shape: readonly number[], axis: number, sizes: readonly number[]): AxisSplitParams {
  const step = elementCount(shape.slice(axis + 1));
  let offset = 0;
  const parts = sizes.map((size) => {
    const part = { inner: size * step, offset };
    offset += size * step;
    return part;
  });
  return { outer: elementCount(shape.slice(0, axis)), inInner: shape[axis]! * step, parts };
}

export function evaluateAxisSplit(p: AxisSplitParams, input: TensorData): TensorData[] {
  return p.parts.map((part) => {
    const out = emptyLike(input, p.outer * part.inner);
    for (let r = 0; r < p.outer; r++) out.set(input.subarray(r * p.inInner + part.offset, r * p.inInner + part.offset + part.inner) as never, r * part.inner);
    return out;
  });
}
