/** C initializers shared by the portable kernels' parameter structs. */

/** A C initializer for an int32 array (the kernels' 6-D dims and strides). */
export function cDims(values: readonly number[]): string {
  return `{ ${values.join(", ")} }`;
}
