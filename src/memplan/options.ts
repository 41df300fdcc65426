/**
 * The memory options a plan may use, on by default (but OPT_IN_OPTIONS) and
 * each can be turned off for comparison (`--disable`): element-wise ops
 * writing over an input that dies at them; depthwise convolutions writing over
 * their input (one row behind); convolutions and pools whose output overlaps
 * their dying input by the margin their loop order allows; concatenation
 * inputs written by their producers straight into their slice of the output;
 * operator reordering; and row streaming.
 * Which ops qualify is the kernel family's answer (src/kernels), not the planner's.
 */
export type MemoryOption = "elementwise-inplace" | "depthwise-inplace" | "overlap" | "concat-slices" | "reorder" | "stream";
export const MEMORY_OPTIONS: readonly MemoryOption[] = ["elementwise-inplace", "depthwise-inplace", "overlap", "concat-slices", "reorder", "stream"];
/**
 * Options that are off unless asked for (`--enable`): row streaming
 * (segments of window ops run band by band through ring buffers; see
 * segments.ts), while only the portable family's kernels compute rows
 * through rings.
 */
export const OPT_IN_OPTIONS: readonly MemoryOption[] = ["stream"];
