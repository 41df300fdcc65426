/**
 * ADD (and SUB, sub.ts), int8, with broadcasting: both inputs are brought to a common scale with
 * 20 bits of headroom, summed, and requantized (reference_integer_ops::Add and
 * BroadcastAdd6DSlow; multipliers from CalculateOpDataAdd).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import { activationRange, quantizeMultiplier, type QuantizedMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { expectBinary, parseActivation, tensorOf } from "./common.js";
import { broadcastGeometry, forEachBroadcast, type BroadcastGeometry } from "./shapes.js";
import { activationCode, optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

const LEFT_SHIFT = 20;

export interface AddParams {
  readonly shape: BroadcastGeometry;
  readonly input1Offset: number; readonly input2Offset: number; readonly outputOffset: number;
  readonly input1: QuantizedMultiplier; readonly input2: QuantizedMultiplier; readonly output: QuantizedMultiplier;
  readonly actMin: number; readonly actMax: number;
  /** Headroom bits both inputs are shifted up by before rescaling (20 for int8). */
  readonly leftShift: number;
}

function multipliers(s1: number, s2: number, so: number) {
  const twiceMax = 2 * Math.max(s1, s2);
  return { in1: s1 / twiceMax, in2: s2 / twiceMax, out: twiceMax / ((1 << LEFT_SHIFT) * so) };
}

/** ADD, or SUB (TFLite's sub.cc: the same rescaling, the second input subtracted). */
export function addOrSub(kind: "ADD" | "SUB", optionsType: number): OpModule<"ADD" | "SUB", AddParams> {
  const sign = kind === "SUB" ? -1 : 1;
  return {
    kind,

    parseOptions(t, site) {
      return { activation: parseActivation(t?.i8(fb.AddOptions.activation) ?? 0, site) };
    },

    writeOptions(b, o) {
      return optionsTable(b, optionsType, [{ id: fb.AddOptions.activation, i8: activationCode(o.activation) }]);
    },

    validate(node, graph, bag, site) {
      if (!expectBinary(node, graph, bag, site)) return;
      const [a, b] = node.inputs as [number, number];
      const out = node.outputs[0]!;
      const m = multipliers(scalarQuant(tensorOf(graph, a)).scale, scalarQuant(tensorOf(graph, b)).scale, scalarQuant(tensorOf(graph, out)).scale);
      if (!(m.out < 1)) bag.add("TC116", "addScale", { kind }, site);
    },

    prepare(node, graph) {
      const [a, b] = node.inputs as [number, number];
      const qa = scalarQuant(tensorOf(graph, a)), qb = scalarQuant(tensorOf(graph, b));
      const out = tensorOf(graph, node.outputs[0]!);
      const qo = scalarQuant(out);
      const m = multipliers(qa.scale, qb.scale, qo.scale);
      const range = activationRange(node.options.activation, qo.scale, qo.zeroPoint);
      return {
        shape: broadcastGeometry(out.shape, tensorOf(graph, a).shape, tensorOf(graph, b).shape),
        input1Offset: -qa.zeroPoint, input2Offset: -qb.zeroPoint, outputOffset: qo.zeroPoint,
        input1: quantizeMultiplier(m.in1), input2: quantizeMultiplier(m.in2), output: quantizeMultiplier(m.out),
        actMin: range.min, actMax: range.max, leftShift: LEFT_SHIFT,
      };
    },

    evaluate(_node, _graph, p, [x, y]) {
      const out = new Int8Array(elementCount(p.shape.dims));
      let i = 0;
      forEachBroadcast(p.shape, (o1, o2) => {
        const a = multiplyByQuantizedMultiplier(Math.imul(x![o1]! + p.input1Offset, 1 << LEFT_SHIFT), p.input1.multiplier, p.input1.shift);
        const b = multiplyByQuantizedMultiplier(Math.imul(y![o2]! + p.input2Offset, 1 << LEFT_SHIFT), p.input2.multiplier, p.input2.shift);
        const v = multiplyByQuantizedMultiplier((a + sign * b) | 0, p.output.multiplier, p.output.shift) + p.outputOffset;
        out[i++] = Math.min(p.actMax, Math.max(p.actMin, v));
      });
      return out;
    },

    macs(node, graph) {
      return elementCount(tensorOf(graph, node.outputs[0]!).shape);
    },
  };
}

/** ADD; a residual ADD inside a segment reads row y of both inputs for its output row y. */
export const add: OpModule<"ADD", AddParams> = {
  ...(addOrSub("ADD", fb.BuiltinOptionsType.AddOptions) as OpModule<"ADD", AddParams>),
  rows(_node, _graph, p) {
    const h = p.shape.dims[3]!;
    return { inH: h, outH: h, kH: 1, strideH: 1, dilH: 1, padTop: 0, kW: 1, residual: true };
  },
};
