/** Model inputs: the golden xorshift32 generator, raw files, and 8-bit grayscale BMP images. */
import { readFileSync } from "node:fs";
import { fail } from "./diagnostics.js";
import { dataBytes, type DType } from "./compiler/ir.js";

/** xorshift32 bytes: x ^= x << 13; x ^= x >>> 17; x ^= x << 5; byte = x & 0xff (seed 1 starts 21 01 c5 4f). */
export function xorshiftInput(seed: number, bytes: number): Int8Array {
  const out = new Int8Array(bytes);
  let x = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = (x & 0xff) << 24 >> 24;
  }
  return out;
}

export function readRawInput(path: string): Int8Array {
  try {
    const b = readFileSync(path);
    return new Int8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    fail("TC100", "input", { path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { file: path });
  }
}

export type PixelMode = "raw" | "centered";

/**
 * An uncompressed 8-bit palettized BMP (gray palette) as int8 pixels, row 0 at
 * the top: `centered` maps p to p - 128, `raw` copies the byte p unchanged into
 * the int8 tensor (TensorFlow Lite Micro's person-detection test). With
 * `channels` 3 each gray value is repeated in R, G and B.
 */
export function readBmpInput(path: string, mode: PixelMode, channels: number): { data: Int8Array; width: number; height: number } {
  let b: Buffer;
  try {
    b = readFileSync(path);
  } catch (e) {
    fail("TC100", "image", { path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { file: path });
  }
  if (b.length < 54 || b.toString("latin1", 0, 2) !== "BM") fail("TC120", "notBmp", {}, { file: path });
  const dataOffset = b.readUInt32LE(10);
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bpp = b.readUInt16LE(28);
  const compression = b.readUInt32LE(30);
  if (bpp !== 8 || compression !== 0) fail("TC120", "bmpFormat", { bits: bpp, compression }, { file: path });
  const height = Math.abs(rawHeight);
  const stride = Math.ceil(width / 4) * 4;
  if (dataOffset + stride * height > b.length) fail("TC120", "bmpTruncated", {}, { file: path });
  const palette = 14 + b.readUInt32LE(14);
  const colors = b.readUInt32LE(46) || 256;
  const gray = (index: number): number => {
    if (index >= colors) return index;
    const p = palette + 4 * index;
    return Math.round((b[p]! + b[p + 1]! + b[p + 2]!) / 3);
  };
  const data = new Int8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = rawHeight > 0 ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const g = gray(b[dataOffset + row * stride + x]!);
      const v = mode === "centered" ? g - 128 : (g << 24) >> 24;
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = v;
    }
  }
  return { data, width, height };
}

export const PIXEL_MODES: readonly PixelMode[] = ["centered", "raw"];

/** What a pixel mapping puts in an input of this type, in words (`tinyc run --image` reports it). */
export function pixelMapping(mode: PixelMode, dtype: DType): string {
  const raw = "the pixel byte itself";
  if (dtype === "float32") return mode === "centered" ? "float = (pixel - 128) / 128" : `float = (${raw}, 128..255 as -128..-1) / 128`;
  if (dtype === "uint8") return mode === "centered" ? "uint8 = (pixel + 128) mod 256 (the bytes of pixel - 128)" : `uint8 = pixel`;
  return mode === "centered" ? "int8 = pixel - 128" : `int8 = ${raw} (128..255 read as -128..-1)`;
}

/** An image read for a model input, and how its pixels were mapped. */
export interface ImageInput {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly pixels: PixelMode;
  /** What `pixels` did, in words. */
  readonly mapping: string;
  /** Every other mapping and what it would do. */
  readonly otherMappings: Readonly<Partial<Record<PixelMode, string>>>;
}

/**
 * A BMP image as the bytes of a model input of `shape` (NHWC: channels from
 * the last dimension) and `dtype`: int8 and uint8 take the mapped values' bytes,
 * a float32 input the mapped int8 values / 128.
 */
export function imageInput(path: string, mode: PixelMode, input: { readonly shape: readonly number[]; readonly dtype: DType }): { bytes: Uint8Array; image: ImageInput } {
  const image = readBmpInput(path, mode, input.shape[3] ?? 1);
  const bytes = input.dtype === "float32" ? dataBytes(Float32Array.from(image.data, (v) => v / 128)) : dataBytes(image.data);
  const otherMappings = Object.fromEntries(PIXEL_MODES.filter((m) => m !== mode).map((m) => [m, pixelMapping(m, input.dtype)]));
  return { bytes, image: { file: path, width: image.width, height: image.height, pixels: mode, mapping: pixelMapping(mode, input.dtype), otherMappings } };
}
