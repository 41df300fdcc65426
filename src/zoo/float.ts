/**
 * Float32 kernels the zoo uses to calibrate its networks: NHWC, a batch of
 * calibration inputs at once. Only for building models; tinyc's numerics are
 * the int8 op modules.
 */

export interface FloatTensor {
  /** [batch, ...dims] */
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface ConvSpec {
  readonly k: number;
  readonly stride: number;
  /** SAME padding (TFLite rule: extra padding bottom/right). */
  readonly same: boolean;
}

function samePad(inSize: number, k: number, stride: number): { out: number; pad: number } {
  const out = Math.ceil(inSize / stride);
  return { out, pad: Math.max(0, Math.floor(((out - 1) * stride + k - inSize) / 2)) };
}

function geometry(h: number, w: number, s: ConvSpec) {
  if (s.same) {
    const y = samePad(h, s.k, s.stride), x = samePad(w, s.k, s.stride);
    return { outH: y.out, outW: x.out, padT: y.pad, padL: x.pad };
  }
  return { outH: Math.floor((h - s.k) / s.stride) + 1, outW: Math.floor((w - s.k) / s.stride) + 1, padT: 0, padL: 0 };
}

/** weights [outC, k, k, inC] */
export function conv2d(x: FloatTensor, weights: Float32Array, bias: Float32Array, outC: number, s: ConvSpec): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const g = geometry(h, w, s);
  const out = new Float32Array(n * g.outH * g.outW * outC);
  for (let b = 0; b < n; b++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
    const o = ((b * g.outH + oy) * g.outW + ox) * outC;
    for (let oc = 0; oc < outC; oc++) out[o + oc] = bias[oc]!;
    for (let ky = 0; ky < s.k; ky++) {
      const iy = oy * s.stride - g.padT + ky;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < s.k; kx++) {
        const ix = ox * s.stride - g.padL + kx;
        if (ix < 0 || ix >= w) continue;
        const ib = ((b * h + iy) * w + ix) * c;
        for (let oc = 0; oc < outC; oc++) {
          const wb = ((oc * s.k + ky) * s.k + kx) * c;
          let acc = 0;
          for (let ic = 0; ic < c; ic++) acc += x.data[ib + ic]! * weights[wb + ic]!;
          out[o + oc] += acc;
        }
      }
    }
  }
  return { shape: [n, g.outH, g.outW, outC], data: out };
}

/** weights [1, k, k, C] (depth multiplier 1) */
export function depthwise(x: FloatTensor, weights: Float32Array, bias: Float32Array, s: ConvSpec): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const g = geometry(h, w, s);
  const out = new Float32Array(n * g.outH * g.outW * c);
  for (let b = 0; b < n; b++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
    const o = ((b * g.outH + oy) * g.outW + ox) * c;
    for (let ch = 0; ch < c; ch++) out[o + ch] = bias[ch]!;
    for (let ky = 0; ky < s.k; ky++) {
      const iy = oy * s.stride - g.padT + ky;
      if (iy < 0 || iy >= h) continue;
      for (let kx = 0; kx < s.k; kx++) {
        const ix = ox * s.stride - g.padL + kx;
        if (ix < 0 || ix >= w) continue;
        const ib = ((b * h + iy) * w + ix) * c, wb = (ky * s.k + kx) * c;
        for (let ch = 0; ch < c; ch++) out[o + ch] += x.data[ib + ch]! * weights[wb + ch]!;
      }
    }
  }
  return { shape: [n, g.outH, g.outW, c], data: out };
}

export function map(x: FloatTensor, f: (v: number) => number): FloatTensor {
  return { shape: x.shape, data: x.data.map(f) };
}

export const relu = (v: number) => Math.max(0, v);
export const relu6 = (v: number) => Math.min(6, Math.max(0, v));
export const hardSwish = (v: number) => (v * Math.min(6, Math.max(0, v + 3))) / 6;
export const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Element-wise binary op with broadcasting of `y` ([n, 1, 1, C] or equal shape) over `x`. */
export function binary(x: FloatTensor, y: FloatTensor, f: (a: number, b: number) => number): FloatTensor {
  const out = new Float32Array(x.data.length);
  if (size(y.shape) === x.data.length) {
    for (let i = 0; i < out.length; i++) out[i] = f(x.data[i]!, y.data[i]!);
  } else {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    for (let b = 0; b < n; b++) for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) {
      const i = (b * h * w + p) * c + ch;
      out[i] = f(x.data[i]!, y.data[b * c + ch]!);
    }
  }
  return { shape: x.shape, data: out };
}

/** Mean over H and W, keeping dims: [n, 1, 1, C]. */
export function spatialMean(x: FloatTensor): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float32Array(n * c);
  for (let b = 0; b < n; b++) for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) out[b * c + ch] += x.data[(b * h * w + p) * c + ch]!;
  for (let i = 0; i < out.length; i++) out[i] /= h * w;
  return { shape: [n, 1, 1, c], data: out };
}

export function spaceToDepth(x: FloatTensor, block: number): FloatTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float32Array(x.data.length);
  let k = 0;
  for (let b = 0; b < n; b++) for (let oy = 0; oy < h / block; oy++) for (let ox = 0; ox < w / block; ox++)
    for (let by = 0; by < block; by++) for (let bx = 0; bx < block; bx++) for (let ch = 0; ch < c; ch++) {
      out[k++] = x.data[((b * h + oy * block + by) * w + ox * block + bx) * c + ch]!;
    }
  return { shape: [n, h / block, w / block, c * block * block], data: out };
}

export function softmax(x: FloatTensor): FloatTensor {
  const c = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.data.length / c; r++) {
    let m = -Infinity, s = 0;
    for (let i = 0; i < c; i++) m = Math.max(m, x.data[r * c + i]!);
    for (let i = 0; i < c; i++) s += out[r * c + i] = Math.exp(x.data[r * c + i]! - m);
    for (let i = 0; i < c; i++) out[r * c + i]! /= s;
  }
  return { shape: x.shape, data: out };
}

/** Per-channel mean and standard deviation over all but the last dimension. */
export function channelStats(x: FloatTensor): { mean: Float64Array; std: Float64Array } {
  const c = x.shape[x.shape.length - 1]!;
  const mean = new Float64Array(c), sq = new Float64Array(c);
  const count = x.data.length / c;
  for (let i = 0; i < x.data.length; i++) {
    mean[i % c] += x.data[i]!;
    sq[i % c] += x.data[i]! * x.data[i]!;
  }
  const std = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    mean[ch]! /= count;
    std[ch] = Math.sqrt(Math.max(1e-8, sq[ch]! / count - mean[ch]! * mean[ch]!));
  }
  return { mean, std };
}
