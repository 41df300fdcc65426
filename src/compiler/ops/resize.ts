/** What RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR share: their operands (int8 NHWC data, a constant [height, width]) and geometry. */
import type { DiagnosticBag } from "../../diagnostics.js";
import type { Graph, Node } from "../ir.js";
import { constIndices, expectInputCount, expectInt8Activation, expectRank, expectSameQuant, expectShape, indexValues, tensorOf } from "./common.js";
import type { OpSite } from "./types.js";

export interface ResizeGeometry {
  readonly batches: number; readonly inH: number; readonly inW: number; readonly channels: number;
  readonly outH: number; readonly outW: number;
}

/** Checks the data (int8, rank 4, the output's quantization), the constant output size and the output's shape. */
export function validateResize(node: Node, graph: Graph, bag: DiagnosticBag, site: OpSite): void {
  if (!expectInputCount(node.inputs, 2, 2, bag, site)) return;
  const [inId, sizeId] = node.inputs as [number, number];
  const out = node.outputs[0]!;
  if (!expectInt8Activation(graph, inId, "input", bag, site) || !expectRank(graph, inId, 4, "input", bag, site)) return;
  if (!expectInt8Activation(graph, out, "output", bag, site) || !expectSameQuant(graph, inId, out, "the input", bag, site)) return;
  const size = constIndices(graph, sizeId, "the output size", bag, site);
  if (!size) return;
  if (size.length !== 2 || size[0]! < 1 || size[1]! < 1) {
    bag.add("TC115", "resizeSize", { size: [...size].join(", ") }, site);
    return;
  }
  const [n, , , c] = tensorOf(graph, inId).shape as number[];
  expectShape(graph, out, [n!, size[0]!, size[1]!, c!], "output", bag, site);
}

export function resizeGeometry(node: Node, graph: Graph): ResizeGeometry {
  const [batches, inH, inW, channels] = tensorOf(graph, node.inputs[0]!).shape as number[];
  const [outH, outW] = indexValues(tensorOf(graph, node.inputs[1]!)) as unknown as [number, number];
  return { batches: batches!, inH: inH!, inW: inW!, channels: channels!, outH, outW };
}
