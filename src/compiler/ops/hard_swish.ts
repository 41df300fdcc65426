/**
 * HARD_SWISH, int8: x * relu6(x + 3) / 6 in TensorFlow Lite's int16 fixed-point
 * scheme (input on a 2^-7 finer "hires" scale, a "reluish" factor in Q0.15,
 * int16 rounding multiplies; reference_ops::HardSwish, HardSwishPrepare).
 */
import * as fb from "../tflite/schema.js";
import { elementCount, scalarQuant } from "../ir.js";
import { rdbp } from "../numerics/fixedpoint.js";
import { quantizeMultiplier } from "../numerics/quantize.js";
import { expectUnary, tensorOf } from "./common.js";
import { optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export interface HardSwishParams {
  readonly inputZeroPoint: number;
  readonly outputZeroPoint: number;
  readonly outputMultiplier: number;
  readonly outputExponent: number;
  readonly reluishMultiplier: number;
  readonly reluishExponent: number;
}

/** DownScaleInt32ToInt16Multiplier */
function toInt16Multiplier(m: number): number {
  return m >= 2147483647 - 32768 ? 32767 : (m + 32768) >> 16;
}

const wrap16 = (v: number) => (v << 16) >> 16;
const sat16 = (v: number) => Math.max(-32768, Math.min(32767, v));

/** gemmlowp SaturatingRoundingDoublingHighMul on int16 */
function srdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  const ab = a * b;
  return wrap16(Math.trunc((ab + (ab >= 0 ? 1 << 14 : 1 - (1 << 14))) / 32768));
}

/** TFLite's (truncating) SaturatingDoublingHighMul on int16 */
function sdhm16(a: number, b: number): number {
  if (a === -32768 && b === -32768) return 32767;
  return wrap16(Math.trunc((a * b) / 32768));
}

export function hardSwishParams(inputScale: number, outputScale: number, inputZeroPoint: number, outputZeroPoint: number): HardSwishParams {
  const hires = Math.fround(Math.fround(1 / 128) * inputScale);
  const out = quantizeMultiplier(Math.fround(hires / outputScale));
  const reluish = quantizeMultiplier(Math.fround(hires / Math.fround(3 / 32768)));
  return {
    inputZeroPoint, outputZeroPoint,
    outputMultiplier: toInt16Multiplier(out.multiplier), outputExponent: out.shift,
    reluishMultiplier: toInt16Multiplier(reluish.multiplier), reluishExponent: reluish.shift,
  };
}

export const hardSwish: OpModule<"HARD_SWISH", HardSwishParams> = {
  kind: "HARD_SWISH",

  parseOptions() {
    return {};
  },

  writeOptions(b) {
    return optionsTable(b, fb.BuiltinOptionsType.HardSwishOptions, []);
  },

  validate(node, graph, bag, site) {
    if (!expectUnary(node, graph, bag, site)) return;
    if (this.prepare(node, graph).outputExponent > 0) {
      bag.add("TC116", "hardSwishScale", {}, site);
    }
  },

  prepare(node, graph) {
    const qi = scalarQuant(tensorOf(graph, node.inputs[0]!)), qo = scalarQuant(tensorOf(graph, node.outputs[0]!));
    return hardSwishParams(qi.scale, qo.scale, qi.zeroPoint, qo.zeroPoint);
  },

  evaluate(_node, _graph, p, [input]) {
    return Int8Array.from(input!, (x) => {
      const hires = wrap16((x - p.inputZeroPoint) * 128);
      const preshift = srdhm16(hires, p.outputMultiplier);
      let reluish = hires;
      if (p.reluishExponent > 0) reluish = sat16(reluish * 2 ** (p.reluishExponent - 1));
      reluish = srdhm16(reluish, p.reluishMultiplier);
      if (p.reluishExponent > 0) reluish = sat16(reluish * 2);
      if (p.reluishExponent < 0) reluish = rdbp(reluish, -p.reluishExponent);
      reluish = wrap16((reluish + 32768) >> 1);
      let out = rdbp(sdhm16(reluish, preshift), -p.outputExponent);
      out = wrap16(out + p.outputZeroPoint);
      return Math.min(127, Math.max(-128, out));
    });
  },

  macs(node, graph) {
    return elementCount(tensorOf(graph, node.inputs[0]!).shape);
  },
};
