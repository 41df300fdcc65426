/** The portable data-movement kernels and MEAN (templates/c/portable/tinyc_data.c). */
import type { ConcatParams } from "../../compiler/ops/concatenation.js";
import type { MeanParams, ReductionLayout } from "../../compiler/ops/mean.js";
import type { PadParams } from "../../compiler/ops/pad.js";
import type { SpaceToDepthParams } from "../../compiler/ops/space_to_depth.js";
import type { TransposeParams } from "../../compiler/ops/transpose.js";
import type { Node } from "../../compiler/ir.js";
import type { PackParams } from "../../compiler/ops/pack.js";
import type { ResizeNearestParams } from "../../compiler/ops/resize_nearest_neighbor.js";
import type { ResizeBilinearParams } from "../../compiler/ops/resize_bilinear.js";
import type { StridedSliceParams } from "../../compiler/ops/strided_slice.js";
import type { AxisSplitParams } from "../../compiler/ops/axis_split.js";
import type { GatherParams } from "../../compiler/ops/gather.js";
import type { TileParams } from "../../compiler/ops/tile.js";
import { elementCount } from "../../compiler/ir.js";
import { tensorOf } from "../../compiler/ops/common.js";
import type { EmitContext, KernelOp, OpKernel } from "../types.js";
import { cDims } from "../cdata.js";
import { perRowCall } from "../rows.js";
import { assert } from "../../diagnostics.js";

const FILE = "tinyc_data.c";

export const concatenation: OpKernel<ConcatParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const out = ctx.tensor(node.outputs[0]!);
    p.parts.forEach((part, i) => {
      ctx.body.line(`tinyc_copy_blocks_s8(${p.outer}, ${part.inner}, ${ctx.tensor(node.inputs[i]!)}, ${part.inner}, ${out} + ${part.offset}, ${p.outInner});`);
    });
  },
};

export const pad: OpKernel<PadParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_pad_params", {
      in_dims: cDims(p.inDims), before: cDims(p.before), out_dims: cDims(p.outDims), pad_value: p.padValue,
    });
    ctx.body.line(`tinyc_pad_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const mean: OpKernel<MeanParams> = {
  /** One int32 accumulator per output element. */
  scratchBytes: ({ params: p }) => 4 * p.outputs,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_mean_params", {
      in_dims: cDims(p.inDims), out_stride: cDims(p.outStride), outputs: p.outputs, count: p.count,
      input_zero_point: p.inputZeroPoint, output_zero_point: p.outputZeroPoint, multiplier: p.multiplier, shift: p.shift,
    });
    ctx.body.line(`tinyc_mean_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)}, (int32_t *)${ctx.scratch()});`);
  },
};

/** output[i0..i5] = input[offset + sum(i_d * inStride[d])], dims padded to 6 at the front. */
function emitStridedCopy(ctx: EmitContext, node: Node, offset: number, outDims: readonly number[], inStride: readonly number[]): void {
  const lead = 6 - outDims.length;
  ctx.source(FILE);
  const params = ctx.struct(`op${node.index}_params`, "tinyc_strided_copy_params", {
    offset, out_dims: cDims([...Array<number>(lead).fill(1), ...outDims]), in_stride: cDims([...Array<number>(lead).fill(0), ...inStride]),
  });
  ctx.body.line(`tinyc_strided_copy_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
}

export const transpose: OpKernel<TransposeParams> = {
  emit: ({ node, params: p }, ctx) => emitStridedCopy(ctx, node, 0, p.outDims, p.inStride),
};

/** The byte-moving kernels run on int8 data; int32 shape arithmetic is folded at compile time. */
const int8Only = ({ node, graph }: KernelOp<unknown>) => (tensorOf(graph, node.outputs[0]!).dtype === "int8" ? undefined : "int32 data is evaluated at compile time only");

export const stridedSlice: OpKernel<StridedSliceParams> = {
  unsupported: int8Only,
  emit({ node, params: p }, ctx) {
    const counts = p.starts.map((s, a) => Math.max(0, Math.ceil((p.stops[a]! - s) / p.strides[a]!)));
    const offset = p.starts.reduce((sum, s, a) => sum + (counts.some((c) => c === 0) ? 0 : s * p.inStride[a]!), 0);
    emitStridedCopy(ctx, node, offset, counts, p.strides.map((s, a) => s * p.inStride[a]!));
  },
};

export const pack: OpKernel<PackParams> = {
  unsupported: int8Only,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const out = ctx.tensor(node.outputs[0]!), n = node.inputs.length;
    node.inputs.forEach((id, k) => ctx.body.line(`tinyc_copy_blocks_s8(${p.outer}, ${p.inner}, ${ctx.tensor(id)}, ${p.inner}, ${out} + ${k * p.inner}, ${n * p.inner});`));
  },
};

export const resizeNearestNeighbor: OpKernel<ResizeNearestParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const rows = ctx.table(`op${node.index}_rows`, "int32_t", p.rows), cols = ctx.table(`op${node.index}_cols`, "int32_t", p.cols);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_resize_params", { batches: p.batches, in_h: p.inH, in_w: p.inW, channels: p.channels, out_h: p.outH, out_w: p.outW });
    ctx.body.line(`tinyc_resize_nearest_s8(&${params}, ${rows}, ${cols}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const resizeBilinear: OpKernel<ResizeBilinearParams> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const i = node.index;
    const tables = (axis: "rows" | "cols", t: ResizeBilinearParams["rows"]) => ctx.struct(`op${i}_${axis}`, "tinyc_interpolation", {
      lower: ctx.table(`op${i}_${axis}_lower`, "int32_t", t.lower), upper: ctx.table(`op${i}_${axis}_upper`, "int32_t", t.upper), weight: ctx.table(`op${i}_${axis}_weight`, "int32_t", t.weight),
    });
    const rows = tables("rows", p.rows), cols = tables("cols", p.cols);
    const params = ctx.struct(`op${i}_params`, "tinyc_resize_params", { batches: p.batches, in_h: p.inH, in_w: p.inW, channels: p.channels, out_h: p.outH, out_w: p.outW });
    ctx.body.line(`tinyc_resize_bilinear_s8(&${params}, &${rows}, &${cols}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

export const reduceMax: OpKernel<ReductionLayout> = {
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const params = ctx.struct(`op${node.index}_params`, "tinyc_reduce_params", { in_dims: cDims(p.inDims), out_stride: cDims(p.outStride), outputs: p.outputs });
    ctx.body.line(`tinyc_reduce_max_s8(&${params}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)});`);
  },
};

/**
 * In a segment (where it comes first), one output row at a time from `block`
 * input rows: consecutive in the whole input, or in a streamed input's ring
 * of a multiple of `block` rows.
 */
export const spaceToDepth: OpKernel<SpaceToDepthParams> = {
  ringRows: ({ params: p }) => p.batches === 1,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const ring = ctx.rows?.rings.get(node.inputs[0]!) ?? 0;
    assert(ring % p.block === 0, `op ${node.index}: SPACE_TO_DEPTH reads ${p.block} rows at once from a ring of ${ring}`);
    perRowCall(ctx, (row) => row
      ? `tinyc_space_to_depth_s8(1, ${p.block}, ${p.inW}, ${p.channels}, ${p.block}, ${row(node.inputs[0]!, `y * ${p.block}`)}, ${row(node.outputs[0]!)})`
      : `tinyc_space_to_depth_s8(${p.batches}, ${p.inH}, ${p.inW}, ${p.channels}, ${p.block}, ${ctx.tensor(node.inputs[0]!)}, ${ctx.tensor(node.outputs[0]!)})`);
  },
};

/** SPLIT, SPLIT_V and UNPACK: for each output, `outer` blocks out of each input row. */
export const axisSplit: OpKernel<AxisSplitParams> = {
  unsupported: int8Only,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const input = ctx.tensor(node.inputs.find((id) => !tensorOf(ctx.graph, id).data)!);
    p.parts.forEach((part, k) => {
      ctx.body.line(`tinyc_copy_blocks_s8(${p.outer}, ${part.inner}, ${input} + ${part.offset}, ${p.inInner}, ${ctx.tensor(node.outputs[k]!)}, ${part.inner});`);
    });
  },
};

/** GATHER with constant indices: for each index, its slice of every outer row. */
export const gather: OpKernel<GatherParams> = {
  unsupported: int8Only,
  emit({ node, params: p }, ctx) {
    ctx.source(FILE);
    const input = ctx.tensor(node.inputs[0]!), out = ctx.tensor(node.outputs[0]!), n = p.indices.length;
    p.indices.forEach((index, k) => {
      ctx.body.line(`tinyc_copy_blocks_s8(${p.outer}, ${p.inner}, ${input} + ${index * p.inner}, ${p.axisSize * p.inner}, ${out} + ${k * p.inner}, ${n * p.inner});`);
    });
  },
};

/**
 * TILE as a strided copy: each tiled axis becomes two output dimensions, the
 * repeat (input stride 0) outside the input's own; beyond 6 such dimensions
 * (only where more than two axes of a 4-D tensor repeat) there is no kernel.
 */
function tileDims(p: TileParams): { dims: number[]; strides: number[] } {
  const dims: number[] = [], strides: number[] = [];
  p.inDims.forEach((d, a) => {
    const m = p.outDims[a]! / Math.max(1, d);
    if (m !== 1) {
      dims.push(m);
      strides.push(0);
    }
    dims.push(d);
    strides.push(elementCount(p.inDims.slice(a + 1)));
  });
  return { dims, strides };
}

export const tile: OpKernel<TileParams> = {
  unsupported: (op) => int8Only(op) ?? (tileDims(op.params).dims.length > 6 ? "more than 6 dimensions once the repeats are unrolled" : undefined),
  emit({ node, params: p }, ctx) {
    const { dims, strides } = tileDims(p);
    emitStridedCopy(ctx, node, 0, dims, strides);
  },
};

export const fill: OpKernel<unknown> = {
  unsupported: () => "its value is computed at run time; FILL folds to a constant when its operands are constant",
  emit: () => {
    throw new Error("tinyc internal error: FILL reached code generation");
  },
};
