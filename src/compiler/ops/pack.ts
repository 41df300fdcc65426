/**
 * PACK: N tensors of one shape stacked along a new axis (reference_ops::Pack).
 * Values move unchanged, so int8 inputs must share the output's scale and zero
 * point; int32 inputs (shape arithmetic) fold to a constant at compile time.
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectSameQuant, expectShape, tensorOf } from "./common.js";
import type { OpModule } from "./types.js";

export interface PackParams {
  /** Elements before the axis, and after it (one input's inner block). */
  readonly outer: number;
  readonly inner: number;
}

/** Where the new axis goes, from the option's axis (negative counts from the end of the output's rank). */
const axisOf = (axis: number, inputRank: number) => (axis < 0 ? axis + inputRank + 1 : axis);

export const pack: OpModule<"PACK", PackParams> = {
  kind: "PACK",
  parseOptions: (t) => ({ valuesCount: t?.i32(fb.PackOptions.valuesCount) ?? 0, axis: t?.i32(fb.PackOptions.axis) ?? 0 }),
  writeOptions: (b, o) => optionsTable(b, fb.BuiltinOptionsType.PackOptions, [{ id: fb.PackOptions.valuesCount, i32: o.valuesCount }, { id: fb.PackOptions.axis, i32: o.axis }]),

  validate(node, graph, bag, site) {
    const ins = node.inputs.map((id) => tensorOf(graph, id));
    const out = tensorOf(graph, node.outputs[0]!);
    const first = ins[0];
    if (!first || ins.length !== node.options.valuesCount) {
      bag.add("TC115", "valuesCount", { valuesCount: node.options.valuesCount, inputs: ins.length }, site);
      return;
    }
    if (ins.some((t) => t.dtype !== out.dtype || t.shape.join() !== first.shape.join()) || (out.dtype !== "int8" && out.dtype !== "int32")) {
      bag.add("TC117", "pack", { inputs: ins.map((t) => `${t.dtype} [${t.shape.join(", ")}]`).join(", "), output: out.dtype }, site);
      return;
    }
    const axis = axisOf(node.options.axis, first.shape.length);
    if (axis < 0 || axis > first.shape.length) {
      bag.add("TC115", "packAxis", { axis: node.options.axis, min: -first.shape.length - 1, max: first.shape.length }, site);
      return;
    }
    if (out.dtype === "int8" && !ins.every((t) => expectSameQuant(graph, t.id, out.id, "every input", bag, site))) return;
    expectShape(graph, out.id, [...first.shape.slice(0, axis), ins.length, ...first.shape.slice(axis)], "output", bag, site);
  },

  prepare(node, graph) {
    const s = tensorOf(graph, node.inputs[0]!).shape;
    const axis = axisOf(node.options.axis, s.length);
    return { outer: elementCount(s.slice(0, axis)), inner: elementCount(s.slice(axis)) };
  },

  evaluate(node, graph, _p, inputs) {
    const s = tensorOf(graph, node.inputs[0]!).shape;
    const axis = axisOf(node.options.axis, s.length);
    const outer = elementCount(s.slice(0, axis)), inner = elementCount(s.slice(axis));
    const out = tensorOf(graph, node.outputs[0]!).dtype === "int32" ? new Int32Array(outer * inputs.length * inner) : new Int8Array(outer * inputs.length * inner);
    for (let o = 0; o < outer; o++) inputs.forEach((x, k) => { for (let i = 0; i < inner; i++) out[(o * inputs.length + k) * inner + i] = x![o * inner + i]!; });
    return out;
  },

  macs: () => 0,
};
