/** What every zoo family shares: options, channel rounding, the classification head. */
import type { Graph } from "../../compiler/ir.js";
import { NetBuilder, type Value, type ZooInterface } from "../net.js";

export interface ZooOptions {
  /** Width multiplier (MobileNets) or channel count (isometric). */
  readonly width: number;
  /** Input height and width. */
  readonly resolution: number;
  /** Input channels: 1 (grayscale) or 3 (RGB). */
  readonly channels: number;
  readonly seed: number;
  /** Isometric only: number of blocks. */
  readonly depth?: number;
  /** Isometric only: inverted-bottleneck expansion. */
  readonly expansion?: number;
  /**
   * The model's interface: int8 (default); uint8 (QUANTIZE from a uint8 input
   * and to a uint8 output, zero points 128 above the int8 ones, as converters
   * emit for image models); float32 (QUANTIZE / DEQUANTIZE).
   */
  readonly io?: ZooInterface;
  /** Calibrate on all eight seeds (false: one seed, for fast shape-only sweeps). */
  readonly calibrate?: boolean;
}

export interface GridPoint {
  readonly width: number;
  readonly resolution: number;
  readonly depth?: number;
}

export interface Family {
  readonly name: string;
  readonly description: string;
  readonly defaults: ZooOptions;
  /** The documented grid `tinyc zoo --fit` sweeps. */
  readonly grid: readonly GridPoint[];
  build(options: ZooOptions): Graph;
}

export const CLASSES = 2;

/** Channels rounded to a multiple of 8, never below 8 nor more than 10 % below the exact value (MobileNet's rule). */
export function divisible(v: number, by = 8): number {
  const r = Math.max(by, Math.floor((v + by / 2) / by) * by);
  return r < 0.9 * v ? r + by : r;
}

export function modelName(family: string, o: ZooOptions): string {
  const extra = o.depth !== undefined ? `_d${o.depth}_e${o.expansion ?? ""}` : "";
  return `${family}_w${String(o.width).replace(".", "")}_r${o.resolution}_c${o.channels}${extra}`.replace(/-/g, "_");
}

/** Global average, a 2-class dense layer, softmax. */
export function classifier(net: NetBuilder, x: Value): Value {
  const pooled = net.spatialMean(x, "head/pool", false);
  const logits = net.dense(pooled, "head/logits", CLASSES, "NONE", true);
  return net.softmax(logits, "head/softmax");
}

export function grid(widths: readonly number[], resolutions: readonly number[], depths?: readonly number[]): GridPoint[] {
  return widths.flatMap((width) => resolutions.flatMap((resolution) => (depths ?? [undefined]).map((depth) => ({ width, resolution, depth }))));
}
