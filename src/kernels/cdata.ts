/** C initializers shared by the kernel families' parameter structs. */
import type { BroadcastGeometry } from "../compiler/ops/shapes.js";

/** A C initializer for an int32 array (the kernels' 6-D dims and strides). */
export function cDims(values: readonly number[]): string {
  return `{ ${values.join(", ")} }`;
}

/** The C initializer of a broadcast struct: dims, then each input's strides. */
export function cBroadcast(g: BroadcastGeometry): string {
  return `{ ${cDims(g.dims)}, ${cDims(g.stride1)}, ${cDims(g.stride2)} }`;
}
