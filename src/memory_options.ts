/**
 * The memory options a plan may use, each on by default and each can be
 * turned off for comparison (`--disable`): element-wise ops
 * writing over an input that dies at them; depthwise convolutions writing over
 * their input (one row behind); convolutions and pools whose output overlaps
 * their dying input by the margin their loop order allows; concatenation
 * inputs written by their producers straight into their slice of the output;
 * operator reordering; and row streaming (segments of window ops run band by
 * band, their intermediates in ring buffers: segments.ts).
 * Which ops qualify is the kernel family's answer (src/kernels), not the planner's.
 */
export type MemoryOption = "elementwise-inplace" | "depthwise-inplace" | "overlap" | "concat-slices" | "reorder" | "stream";
export const MEMORY_OPTIONS: readonly MemoryOption[] = ["elementwise-inplace", "depthwise-inplace", "overlap", "concat-slices", "reorder", "stream"];
