/**
 * What RESHAPE, SQUEEZE and EXPAND_DIMS share: the output is the input's bytes
 * under another shape (the planner places it on the input's bytes; no code
 * runs), so the values, their type and their quantization must not change.
 * int32 views occur in shape arithmetic and fold at compile time.
 */
import type { DiagnosticBag } from "../../diagnostics.js";
import { elementCount, type Graph } from "../ir.js";
import { expectSameQuant, tensorOf } from "./common.js";
import type { OpSite } from "./types.js";

/** Checks a view op's data input and output; `computed` is the shape the op's attributes give, when they give one. */
export function validateView(inId: number, outId: number, graph: Graph, bag: DiagnosticBag, site: OpSite, computed?: readonly number[]): void {
  const input = tensorOf(graph, inId), output = tensorOf(graph, outId);
  if (input.dtype !== output.dtype || (input.dtype !== "int8" && input.dtype !== "int32")) {
    bag.add("TC111", "view", { from: input.dtype, to: output.dtype }, { ...site, tensor: input.name });
    return;
  }
  if (elementCount(input.shape) !== elementCount(output.shape)) {
    bag.add("TC117", "viewCount", { from: input.shape.join(", "), to: output.shape.join(", ") }, site);
    return;
  }
  if (computed && (computed.length !== output.shape.length || computed.some((d, i) => d !== output.shape[i]))) {
    bag.add("TC117", "viewShape", { shape: output.shape.join(", "), computed: computed.join(", ") }, { ...site, tensor: output.name });
    return;
  }
  if (input.data && graph.outputs.includes(outId)) {
    bag.add("TC115", "constantView", {}, { ...site, tensor: output.name });
    return;
  }
  if (input.dtype === "int8") expectSameQuant(graph, inId, outId, "the input", bag, site);
}
