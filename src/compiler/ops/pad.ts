/**
 * PAD, int8, constant padding with the zero point (real 0), before and after
 * each dimension, from a constant [rank, 2] paddings operand (reference_ops::Pad).
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import * as fb from "../tflite/schema.js";
import { elementCount, scalarQuant, type ExplicitPadding, type Graph, type TensorData } from "../ir.js";
import { constIndices, expectInputCount, expectInt8Activation, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import { MAX_RANK, padShape } from "./shapes.js";
import { optionsTable } from "../tflite/options.js";
import type { OpModule, OpSite } from "./types.js";

export interface PadParams {
  readonly inDims: readonly number[];
  readonly before: readonly number[];
  readonly outDims: readonly number[];
  readonly padValue: number;
}

/** Checks the data and the paddings operand (input 1) of PAD and PADV2. */
export function validatePad(node: { inputs: readonly number[]; outputs: readonly number[] }, graph: Graph, bag: DiagnosticBag, site: OpSite): boolean {
  const [inId, padId] = node.inputs as [number, number];
  const out = node.outputs[0]!;
  if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectInt8Activation(graph, out, "output", bag, site)) return false;
  if (!expectSameQuant(graph, inId, out, "the input", bag, site)) return false;
  const pads = constIndices(graph, padId, "the paddings operand", bag, site);
  const shape = tensorOf(graph, inId).shape;
  if (!pads) return false;
  if (pads.length !== 2 * shape.length || shape.length > MAX_RANK || pads.some((v) => v < 0)) {
    bag.add("TC115", "paddings", { pads: [...pads].join(", "), rank: shape.length }, site);
    return false;
  }
  return expectShape(graph, out, shape.map((d, i) => d + pads[2 * i]! + pads[2 * i + 1]!), "output", bag, site);
}

export function padParams(node: { inputs: readonly number[]; outputs: readonly number[] }, graph: Graph, padValue: number): PadParams {
  const [inId, padId] = node.inputs as [number, number];
  const shape = tensorOf(graph, inId).shape;
  const pads = indexValues(tensorOf(graph, padId));
  const lead = MAX_RANK - shape.length;
  const before = Array.from({ length: MAX_RANK }, (_, d) => (d < lead ? 0 : pads[2 * (d - lead)]!));
  return { inDims: padShape(shape), before, outDims: padShape(tensorOf(graph, node.outputs[0]!).shape), padValue };
}

/** Height and width padding of a rank-4 pad (its last four dims) with its value, or undefined when it pads the batch or channel axis. */
export function spatialPadding(p: PadParams): { padding: ExplicitPadding; value: number } | undefined {
  const lead = MAX_RANK - 4;
  const after = (d: number) => p.outDims[d]! - p.inDims[d]! - p.before[d]!;
  if ([lead, lead + 3].some((d) => p.before[d] !== 0 || after(d) !== 0)) return undefined;
  return { padding: { top: p.before[lead + 1]!, bottom: after(lead + 1), left: p.before[lead + 2]!, right: after(lead + 2) }, value: p.padValue };
}

export const pad: OpModule<"PAD", PadParams> = {
  kind: "PAD",

  parseOptions() {
    return {};
  },

  writeOptions(b) {
    return optionsTable(b, fb.BuiltinOptionsType.PadOptions, []);
  },

  validate(node, graph, bag, site) {
    if (expectInputCount(node.inputs, 2, 2, bag, site)) validatePad(node, graph, bag, site);
  },

  prepare: (node, graph) => padParams(node, graph, scalarQuant(tensorOf(graph, node.outputs[0]!)).zeroPoint),

  evaluate: (_node, _graph, p, [input]) => padValues(p, input!),

  macs() {
    return 0;
  },

  spatialPadding: (_node, _graph, p) => spatialPadding(p),
};

export function padValues(p: PadParams, input: TensorData): Int8Array {
  const out = new Int8Array(elementCount(p.outDims)).fill(p.padValue);
  const o = Array<number>(MAX_RANK).fill(0);
  let k = 0;
  const walk = (d: number): void => {
    if (d === MAX_RANK) {
      let index = 0, inside = true;
      for (let j = 0; j < MAX_RANK; j++) {
        const i = o[j]! - p.before[j]!;
        if (i < 0 || i >= p.inDims[j]!) inside = false;
        index = index * p.inDims[j]! + i;
      }
      if (inside) out[k] = input[index]!;
      k++;
      return;
    }
    for (o[d] = 0; o[d]! < p.outDims[d]!; o[d]!++) walk(d + 1);
  };
  walk(0);
  return out;
}
