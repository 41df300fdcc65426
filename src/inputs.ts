/** Model inputs: the golden xorshift32 generator, raw files, and 8-bit grayscale BMP images. */
import { readFileSync } from "node:fs";
import { fail } from "./diagnostics.js";

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
