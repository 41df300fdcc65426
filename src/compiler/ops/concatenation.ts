/**
 * CONCATENATION, int8, along any axis: every input shares the output's scale
 * and zero point (as TensorFlow Lite Micro requires for int8), so the op is a
 * set of block copies: for each input, `outer` rows of `inner` bytes.
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { expectInt8Activation, expectSameQuant, expectShape, parseActivation, tensorOf } from "./common.js";
import { activationCode, optionsTable } from "../tflite/options.js";
import type { OpModule, SliceLayout } from "./types.js";

/** Bytes each input contributes per outer row, and where in the output row they go. */
export type ConcatParams = SliceLayout;

function axisOf(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export const concatenation: OpModule<"CONCATENATION", ConcatParams> = {
  kind: "CONCATENATION",

  parseOptions(t, site) {
    const f = fb.ConcatenationOptions;
    return { axis: t?.i32(f.axis) ?? 0, activation: parseActivation(t?.i8(f.activation) ?? 0, site) };
  },

  writeOptions(b, o) {
    const f = fb.ConcatenationOptions;
    return optionsTable(b, fb.BuiltinOptionsType.ConcatenationOptions, [{ id: f.axis, i32: o.axis }, { id: f.activation, i8: activationCode(o.activation) }]);
  },

  validate(node, graph, bag, site) {
    const out = node.outputs[0]!;
    if (node.inputs.length < 1 || node.inputs.some((i) => i < 0)) {
      bag.add("TC103", "noInputs", {}, site);
      return;
    }
    if (!expectInt8Activation(graph, out, "output", bag, site)) return;
    if (node.options.activation !== "NONE") {
      bag.add("TC115", "concatActivation", { activation: node.options.activation }, site);
      return;
    }
    const outShape = tensorOf(graph, out).shape;
    const axis = axisOf(node.options.axis, outShape.length);
    if (axis < 0 || axis >= outShape.length) {
      bag.add("TC115", "concatAxis", { axis: node.options.axis, rank: outShape.length }, site);
      return;
    }
    let total = 0;
    for (const [i, id] of node.inputs.entries()) {
      if (!expectInt8Activation(graph, id, `input ${i}`, bag, site) || !expectSameQuant(graph, id, out, `input ${i}`, bag, site)) return;
      const s = tensorOf(graph, id).shape;
      if (s.length !== outShape.length || s.some((d, k) => k !== axis && d !== outShape[k])) {
        bag.add("TC117", "concatInput", { index: i, shape: s.join(", "), output: outShape.join(", "), axis }, site);
        return;
      }
      total += s[axis]!;
    }
    expectShape(graph, out, outShape.map((d, k) => (k === axis ? total : d)), "output", bag, site);
  },

  prepare(node, graph) {
    const outShape = tensorOf(graph, node.outputs[0]!).shape;
    const axis = axisOf(node.options.axis, outShape.length);
    const outer = elementCount(outShape.slice(0, axis));
    let offset = 0;
    const parts = node.inputs.map((id) => {
      const inner = elementCount(tensorOf(graph, id).shape.slice(axis));
      const part = { inner, offset };
      offset += inner;
      return part;
    });
    return { outer, parts, outInner: offset };
  },

  evaluate(_node, _graph, p, inputs) {
    const out = new Int8Array(p.outer * p.outInner);
    p.parts.forEach((part, i) => {
      const src = inputs[i]!;
      for (let r = 0; r < p.outer; r++) out.set(src.subarray(r * part.inner, (r + 1) * part.inner), r * p.outInner + part.offset);
    });
    return out;
  },

  macs() {
    return 0;
  },

  slices: (node, _graph, p) => (node.options.activation === "NONE" ? p : undefined),
};
