/**
 * MUL, int8, with broadcasting (squeeze-excite scales a feature map by a
 * per-channel vector): the product of the offset inputs is requantized once
 * (reference_integer_ops::Mul / BroadcastMul4DSlow; CalculateOpDataMul).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import { activationRange, quantizeMultiplier, type QuantizedMultiplier } from "../numerics/quantize.js";
import * as fb from "../tflite/schema.js";
import { expectBinary, parseActivation, tensorOf } from "./common.js";
import { broadcastGeometry, forEachBroadcast, type BroadcastGeometry } from "./shapes.js";
import { activationCode, optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export interface MulParams {
  readonly shape: BroadcastGeometry;
  readonly input1Offset: number; readonly input2Offset: number; readonly outputOffset: number;
  readonly output: QuantizedMultiplier;
  readonly actMin: number; readonly actMax: number;
}

export const mul: OpModule<"MUL", MulParams> = {
  kind: "MUL",

  parseOptions(t, site) {
    return { activation: parseActivation(t?.i8(fb.MulOptions.activation) ?? 0, site) };
  },

  writeOptions(b, o) {
    return optionsTable(b, fb.BuiltinOptionsType.MulOptions, [{ id: fb.MulOptions.activation, i8: activationCode(o.activation) }]);
  },

  validate(node, graph, bag, site) {
    expectBinary(node, graph, bag, site);
  },

  prepare(node, graph) {
    const [a, b] = node.inputs as [number, number];
    const qa = scalarQuant(tensorOf(graph, a)), qb = scalarQuant(tensorOf(graph, b));
    const out = tensorOf(graph, node.outputs[0]!);
    const qo = scalarQuant(out);
    const range = activationRange(node.options.activation, qo.scale, qo.zeroPoint);
    return {
      shape: broadcastGeometry(out.shape, tensorOf(graph, a).shape, tensorOf(graph, b).shape),
      input1Offset: -qa.zeroPoint, input2Offset: -qb.zeroPoint, outputOffset: qo.zeroPoint,
      output: quantizeMultiplier((qa.scale * qb.scale) / qo.scale), actMin: range.min, actMax: range.max,
    };
  },

  evaluate(_node, _graph, p, [x, y]) {
    const out = new Int8Array(elementCount(p.shape.dims));
    let i = 0;
    forEachBroadcast(p.shape, (o1, o2) => {
      const prod = (x![o1]! + p.input1Offset) * (y![o2]! + p.input2Offset);
      const v = p.outputOffset + multiplyByQuantizedMultiplier(prod, p.output.multiplier, p.output.shift);
      out[i++] = Math.min(p.actMax, Math.max(p.actMin, v));
    });
    return out;
  },

  macs(node, graph) {
    return elementCount(tensorOf(graph, node.outputs[0]!).shape);
  },
};
