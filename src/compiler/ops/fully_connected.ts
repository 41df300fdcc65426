/**
 * FULLY_CONNECTED, int8: input flattened to [batches, depth], filter [out, depth]
 * with symmetric per-tensor (or per-channel) scales, int32 bias, fused
 * activations. Reference semantics: reference_integer_ops::FullyConnected.
 */
import { fail } from "../../diagnostics.js";
import { elementCount } from "../ir.js";
import { multiplyByQuantizedMultiplier } from "../numerics/fixedpoint.js";
import * as fb from "../tflite/schema.js";
import {
  constInt32, expectBias, expectInputCount, expectInt8Activation, expectInt8Weights, expectRank, expectShape,
  parseActivation, tensorOf,
} from "./common.js";
import { requantFor, type Requant } from "./requant.js";
import { activationCode, optionsTable } from "../tflite/options.js";
import type { OpModule } from "./types.js";

export interface FullyConnectedParams extends Requant {
  readonly batches: number;
  readonly depth: number;
  readonly outDepth: number;
  readonly perChannel: boolean;
}

export const fullyConnected: OpModule<"FULLY_CONNECTED", FullyConnectedParams> = {
  kind: "FULLY_CONNECTED",

  parseOptions(t, site) {
    const f = fb.FullyConnectedOptions;
    const weightsFormat = t?.i8(f.weightsFormat) ?? 0;
    if (weightsFormat !== 0) fail("TC115", "weightsFormat", { format: weightsFormat }, site);
    if (t?.bool(f.asymmetricQuantizeInputs)) fail("TC115", "hybrid", {}, site);
    return {
      activation: parseActivation(t?.i8(f.activation) ?? 0, site),
      keepNumDims: t?.bool(f.keepNumDims) ?? false,
    };
  },

  writeOptions(b, o) {
    const f = fb.FullyConnectedOptions;
    return optionsTable(b, fb.BuiltinOptionsType.FullyConnectedOptions, [
      { id: f.activation, i8: activationCode(o.activation) }, { id: f.keepNumDims, bool: o.keepNumDims },
    ]);
  },

  validate(node, graph, bag, site) {
    if (!expectInputCount(node.inputs, 2, 3, bag, site)) return;
    const [inId, fId, bId = -1] = node.inputs as number[];
    const outId = node.outputs[0]!;
    const okIn = expectInt8Activation(graph, inId!, "input", bag, site);
    const okOut = expectInt8Activation(graph, outId, "output", bag, site);
    if (!expectRank(graph, fId!, 2, "filter", bag, site)) return;
    const filter = tensorOf(graph, fId!);
    const [outDepth, depth] = filter.shape as [number, number];
    if (!expectInt8Weights(graph, fId!, "filter", 0, outDepth, bag, site)) return;
    if (!expectBias(graph, bId, outDepth, bag, site) || !okIn || !okOut) return;
    const input = tensorOf(graph, inId!);
    const n = elementCount(input.shape);
    if (n % depth !== 0) {
      bag.add("TC117", "fullyConnectedDepth", { elements: n, depth }, { ...site, tensor: input.name });
      return;
    }
    const expected = node.options.keepNumDims ? [...input.shape.slice(0, -1), outDepth] : [n / depth, outDepth];
    expectShape(graph, outId, expected, "output", bag, site);
  },

  prepare(node, graph) {
    const [inId, fId] = node.inputs as number[];
    const filter = tensorOf(graph, fId!);
    const [outDepth, depth] = filter.shape as [number, number];
    const requant = requantFor(graph, inId!, filter, node.outputs[0]!, outDepth, node.options.activation);
    return {
      batches: elementCount(tensorOf(graph, inId!).shape) / depth, depth, outDepth,
      perChannel: filter.quant!.scale.length > 1, ...requant,
    };
  },

  evaluate(node, graph, p, [input, filter]) {
    const biasId = node.inputs[2] ?? -1;
    const bias = biasId >= 0 ? constInt32(tensorOf(graph, biasId)) : new Int32Array(p.outDepth);
    const out = new Int8Array(p.batches * p.outDepth);
    for (let b = 0; b < p.batches; b++) {
      for (let oc = 0; oc < p.outDepth; oc++) {
        let acc = 0;
        for (let d = 0; d < p.depth; d++) acc += filter![oc * p.depth + d]! * (input![b * p.depth + d]! + p.inputOffset);
        acc = multiplyByQuantizedMultiplier((acc + bias[oc]!) | 0, p.multiplier[oc]!, p.shift[oc]!) + p.outputOffset;
        out[b * p.outDepth + oc] = Math.min(p.actMax, Math.max(p.actMin, acc));
      }
    }
    return out;
  },

  macs(node, graph) {
    return elementCount(tensorOf(graph, node.outputs[0]!).shape) * tensorOf(graph, node.inputs[1]!).shape[1]!;
  },
};
