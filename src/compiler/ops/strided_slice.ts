/**
 * STRIDED_SLICE with constant begin, end and strides (reference_ops::StridedSlice
 * as TensorFlow Lite Micro runs it: begin_mask, end_mask, shrink_axis_mask and
 * offset; negative strides; up to 5 dimensions). TensorFlow Lite Micro silently
 * treats ellipsis_mask and new_axis_mask as 0: tinyc refuses them instead. Here
 * it folds at compile time when its data is constant (shape arithmetic such as
 * SHAPE → STRIDED_SLICE → PACK); on run-time data no kernel family runs it yet.
 */
import { elementCount, type TensorData } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { constIndices, expectInputCount, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

const MAX_DIMS = 5;

export interface StridedSliceParams {
  readonly starts: readonly number[];
  readonly stops: readonly number[];
  readonly strides: readonly number[];
  /** The input's element stride per axis. */
  readonly inStride: readonly number[];
}

const clamp = (v: number, lo: number, hi: number) => (v > hi ? hi : v < lo ? lo : v);

/** Start and stop per axis, as StartForAxis / EndForAxis compute them. */
export function sliceRanges(shape: readonly number[], begin: ArrayLike<number>, end: ArrayLike<number>, strides: ArrayLike<number>, o: { beginMask: number; endMask: number; shrinkAxisMask: number; offset: boolean }) {
  const starts: number[] = [], stops: number[] = [];
  shape.forEach((size, axis) => {
    const stride = strides[axis]!;
    const bit = 1 << axis;
    let start = begin[axis]!;
    if (start < 0) start += size;
    start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    if (o.beginMask & bit) start = stride > 0 ? 0 : size - 1;
    let stop: number;
    if (o.shrinkAxisMask & bit) stop = start >= size ? start : start + 1;
    else {
      stop = end[axis]! + (o.offset ? start : 0);
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
      if (o.endMask & bit) stop = stride > 0 ? size : -1;
    }
    starts.push(start);
    stops.push(stop);
  });
  return { starts, stops };
}

/** The elements a slice reads, in output order (also SLICE's evaluation). */
export function sliceValues(p: StridedSliceParams, input: TensorData, int32: boolean): TensorData {
  const values: number[] = [];
  const walk = (axis: number, at: number): void => {
    if (axis === p.starts.length) return void values.push(input[at]!);
    const step = p.strides[axis]!;
    for (let i = p.starts[axis]!; step > 0 ? i < p.stops[axis]! : i > p.stops[axis]!; i += step) walk(axis + 1, at + i * p.inStride[axis]!);
  };
  walk(0, 0);
  return int32 ? Int32Array.from(values) : Int8Array.from(values);
}

export const stridedSlice: OpModule<"STRIDED_SLICE", StridedSliceParams> = {
  kind: "STRIDED_SLICE",
  parseOptions(t) {
    const f = fb.StridedSliceOptions;
    return {
      beginMask: t?.i32(f.beginMask) ?? 0, endMask: t?.i32(f.endMask) ?? 0, ellipsisMask: t?.i32(f.ellipsisMask) ?? 0,
      newAxisMask: t?.i32(f.newAxisMask) ?? 0, shrinkAxisMask: t?.i32(f.shrinkAxisMask) ?? 0, offset: (t?.i8(f.offset) ?? 0) !== 0,
    };
  },
  writeOptions(b, o) {
    const f = fb.StridedSliceOptions;
    return optionsTable(b, fb.BuiltinOptionsType.StridedSliceOptions, [
      { id: f.beginMask, i32: o.beginMask }, { id: f.endMask, i32: o.endMask }, { id: f.ellipsisMask, i32: o.ellipsisMask },
      { id: f.newAxisMask, i32: o.newAxisMask }, { id: f.shrinkAxisMask, i32: o.shrinkAxisMask }, { id: f.offset, i8: o.offset ? 1 : 0 },
    ]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 4, 4, bag, site)) return;
    const [inId, bId, eId, sId] = node.inputs as [number, number, number, number];
    const input = tensorOf(graph, inId), out = tensorOf(graph, node.outputs[0]!);
    const o = node.options;
    if (o.ellipsisMask !== 0 || o.newAxisMask !== 0) {
      bag.add("TC115", "masks", { ellipsisMask: o.ellipsisMask, newAxisMask: o.newAxisMask }, site);
      return;
    }
    if (input.dtype !== out.dtype || (input.dtype !== "int8" && input.dtype !== "int32")) {
      bag.add("TC111", "slice", { op: "STRIDED_SLICE", from: input.dtype, to: out.dtype }, { ...site, tensor: input.name });
      return;
    }
    if (input.dtype === "int8" && !expectSameQuant(graph, inId, out.id, "the input", bag, site)) return;
    const [begin, end, strides] = [bId, eId, sId].map((id, k) => constIndices(graph, id, ["begin", "end", "strides"][k]!, bag, site));
    if (!begin || !end || !strides) return;
    const rank = input.shape.length;
    if (rank > MAX_DIMS || [begin, end, strides].some((v) => v.length !== rank) || strides.some((s) => s === 0)) {
      bag.add("TC115", "strides", { rank, max: MAX_DIMS }, site);
      return;
    }
    const { starts, stops } = sliceRanges(input.shape, begin, end, strides, o);
    const shape = input.shape.flatMap((_, a) => ((o.shrinkAxisMask >> a) & 1 ? [] : [Math.max(0, Math.ceil((stops[a]! - starts[a]!) / strides[a]!))]));
    expectShape(graph, out.id, shape, "output", bag, site);
  },

  prepare(node, graph) {
    const [inId, bId, eId, sId] = node.inputs as [number, number, number, number];
    const shape = tensorOf(graph, inId).shape;
    const strides = [...indexValues(tensorOf(graph, sId))];
    const { starts, stops } = sliceRanges(shape, indexValues(tensorOf(graph, bId)), indexValues(tensorOf(graph, eId)), strides, node.options);
    return { starts, stops, strides, inStride: shape.map((_, d) => elementCount(shape.slice(d + 1))) };
  },

  evaluate: (node, graph, p, [input]) => sliceValues(p, input!, tensorOf(graph, node.outputs[0]!).dtype === "int32"),

  macs: () => 0,
};
