/**
 * REDUCE_MAX, int8, over any set of axes (a global max pool): the largest raw
 * value (reference_ops::ReduceGeneric with max, as TensorFlow Lite Micro
 * runs it for int8, which requires the output to share the input's scale and
 * zero point).
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectSameQuant, tensorOf } from "./common.js";
import { forEachReduced, reductionLayout, validateReducer, type ReductionLayout } from "./mean.js";
import type { OpModule } from "./types.js";

export const reduceMax: OpModule<"REDUCE_MAX", ReductionLayout> = {
  kind: "REDUCE_MAX",
  parseOptions: (t) => ({ keepDims: t?.bool(fb.ReducerOptions.keepDims) ?? false }),
  writeOptions: (b, o) => optionsTable(b, fb.BuiltinOptionsType.ReducerOptions, [{ id: fb.ReducerOptions.keepDims, bool: o.keepDims }]),
  validate(node, graph, bag, site) {
    if (validateReducer(node, graph, bag, site)) expectSameQuant(graph, node.inputs[0]!, node.outputs[0]!, "the input", bag, site);
  },
  prepare: (node, graph) => reductionLayout(node, graph),
  evaluate(_node, _graph, p, [input]) {
    const out = new Int8Array(p.outputs).fill(-128);
    forEachReduced(p, (o, i) => void (out[o] = Math.max(out[o]!, input![i]!)));
    return out;
  },
  macs: (node, graph) => elementCount(tensorOf(graph, node.inputs[0]!).shape),
};
