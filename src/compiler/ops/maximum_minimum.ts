/**
 * MAXIMUM and MINIMUM, int8, with broadcasting (a clamp against a scalar
 * constant, or the larger of two feature maps): TensorFlow Lite compares the
 * raw int8 values (reference_ops::MaximumMinimumBroadcastSlow), which means
 * something only when both inputs share the output's scale and zero point;
 * tinyc requires that rather than assume it.
 */
import { elementCount } from "../ir.js";
import * as fb from "../tflite/schema.js";
import { optionsTable } from "../tflite/options.js";
import { expectBinary, expectSameQuant, tensorOf } from "./common.js";
import { broadcastGeometry, forEachBroadcast, type BroadcastGeometry } from "./shapes.js";
import type { OpModule } from "./types.js";

export interface MaximumMinimumParams {
  readonly shape: BroadcastGeometry;
}

function maximumMinimum(kind: "MAXIMUM" | "MINIMUM", pick: (a: number, b: number) => number): OpModule<"MAXIMUM" | "MINIMUM", MaximumMinimumParams> {
  return {
    kind,
    parseOptions: () => ({}),
    writeOptions: (b) => optionsTable(b, fb.BuiltinOptionsType.MaximumMinimumOptions, []),
    validate(node, graph, bag, site) {
      if (!expectBinary(node, graph, bag, site)) return;
      for (const id of node.inputs) if (!expectSameQuant(graph, id, node.outputs[0]!, "each input", bag, site)) return;
    },
    prepare(node, graph) {
      const [a, b] = node.inputs as [number, number];
      return { shape: broadcastGeometry(tensorOf(graph, node.outputs[0]!).shape, tensorOf(graph, a).shape, tensorOf(graph, b).shape) };
    },
    evaluate(_node, _graph, p, [x, y]) {
      const out = new Int8Array(elementCount(p.shape.dims));
      let i = 0;
      forEachBroadcast(p.shape, (o1, o2) => void (out[i++] = pick(x![o1]!, y![o2]!)));
      return out;
    },
    macs: (node, graph) => elementCount(tensorOf(graph, node.outputs[0]!).shape),
  };
}

export const maximum = maximumMinimum("MAXIMUM", Math.max) as OpModule<"MAXIMUM", MaximumMinimumParams>;
export const minimum = maximumMinimum("MINIMUM", Math.min) as OpModule<"MINIMUM", MaximumMinimumParams>;
