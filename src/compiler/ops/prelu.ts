/**
 * PRELU, int8: x ≥ 0 rescaled by input/output scale, x < 0 multiplied by the
 * (broadcast) alpha and rescaled by input × alpha / output scale
 * (reference_ops::BroadcastPrelu4DSlow; multipliers from the double quotient of
 * the scales, as TensorFlow Lite Micro computes them).
 */
import { elementCount, scalarQuant } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import { quantizeMultiplier, type QuantizedMultiplier } from "../numerics/quantize.js";
import { expectBinary, tensorOf } from "./common.js";
import { broadcastGeometry, forEachBroadcast, type BroadcastGeometry } from "./shapes.js";
import type { OpModule } from "./types.js";

export interface PreluParams {
  readonly shape: BroadcastGeometry;
  readonly inputOffset: number; readonly alphaOffset: number; readonly outputOffset: number;
  readonly identity: QuantizedMultiplier;
  readonly alpha: QuantizedMultiplier;
}

export const prelu: OpModule<"PRELU", PreluParams> = {
  kind: "PRELU",
  parseOptions: () => ({}),
  validate(node, graph, bag, site) {
    if (!expectBinary(node, graph, bag, site)) return;
    const outShape = tensorOf(graph, node.outputs[0]!).shape, inShape = tensorOf(graph, node.inputs[0]!).shape;
    if (inShape.join() !== outShape.join()) bag.add("TC117", "prelu", { input: inShape.join(", "), output: outShape.join(", ") }, site);
  },

  prepare(node, graph) {
    const [x, a] = node.inputs as [number, number];
    const qi = scalarQuant(tensorOf(graph, x)), qa = scalarQuant(tensorOf(graph, a));
    const out = tensorOf(graph, node.outputs[0]!);
    const qo = scalarQuant(out);
    return {
      shape: broadcastGeometry(out.shape, tensorOf(graph, x).shape, tensorOf(graph, a).shape),
      inputOffset: -qi.zeroPoint, alphaOffset: -qa.zeroPoint, outputOffset: qo.zeroPoint,
      identity: quantizeMultiplier(qi.scale / qo.scale), alpha: quantizeMultiplier((qi.scale * qa.scale) / qo.scale),
    };
  },

  evaluate(_node, _graph, p, [x, alpha]) {
    const out = new Int8Array(elementCount(p.shape.dims));
    let i = 0;
    forEachBroadcast(p.shape, (o1, o2) => {
      const v = p.inputOffset + x![o1]!;
      const scaled = v >= 0 ? multiplyByQuantizedMultiplier(v, p.identity.multiplier, p.identity.shift)
        : multiplyByQuantizedMultiplier(v * (p.alphaOffset + alpha![o2]!), p.alpha.multiplier, p.alpha.shift);
      out[i++] = Math.min(127, Math.max(-128, scaled + p.outputOffset));
    });
    return out;
  },

  macs: (node, graph) => elementCount(tensorOf(graph, node.outputs[0]!).shape),
};
