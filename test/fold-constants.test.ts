/**
 * Constant folding: shape arithmetic on static shapes (Keras's
 * reshape(x, [tf.shape(x)[0], -1]): SHAPE → STRIDED_SLICE → PACK → RESHAPE)
 * is evaluated at compile time and disappears; where an op that only folds
 * meets run-time data, the error names the tensor.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { dataBytes, type Graph, type Node } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { lower } from "../src/lower/lower.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { loadTarget } from "../src/targets.js";
import { GraphBuilder, Random, runOnHost } from "./host-kernels.js";

const i32 = (b: GraphBuilder, name: string, shape: number[], v: number[]) => b.add(name, shape, "int32", undefined, new Uint8Array(Int32Array.from(v).buffer));

/** x [1,4,4,3] → RESHAPE(x, PACK(STRIDED_SLICE(SHAPE(x))[0], 48)) → RELU. */
function flatten(): Graph {
  const b = new GraphBuilder();
  const x = b.activation("x", [1, 4, 4, 3], 0.05, -3);
  const shape = b.add("shape", [4], "int32");
  const batch = b.add("batch", [], "int32");
  const target = b.add("target_shape", [2], "int32");
  const flat = b.activation("flat", [1, 48], 0.05, -3);
  const y = b.activation("y", [1, 48], 0.05, -3);
  const nodes = [
    { kind: "SHAPE", inputs: [x], outputs: [shape], options: {} },
    { kind: "STRIDED_SLICE", inputs: [shape, i32(b, "b", [1], [0]), i32(b, "e", [1], [1]), i32(b, "s", [1], [1])], outputs: [batch], options: { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 1, offset: false } },
    { kind: "PACK", inputs: [batch, i32(b, "rest", [], [48])], outputs: [target], options: { valuesCount: 2, axis: 0 } },
    { kind: "RESHAPE", inputs: [x, target], outputs: [flat], options: {} },
    { kind: "RELU", inputs: [flat], outputs: [y], options: {} },
  ].map((n, index) => ({ ...n, index }) as Node);
  const g = legalize({ name: "flatten", source: "flatten (generated)", sha256: "0".repeat(64), tensors: b.tensors, nodes, inputs: [x], outputs: [y] });
  return readTflite(writeTflite(g), "flatten.tflite");
}

describe("constant folding", () => {
  test("SHAPE → STRIDED_SLICE → PACK folds to the reshape's constant shape; the bytes are the unfolded reference's", async () => {
    const g = flatten();
    const c = compile(g);
    expect(c.passes.map((n) => [n.pass, n.op, n.kind])).toEqual([["fold-constants", 0, "SHAPE"], ["fold-constants", 1, "STRIDED_SLICE"], ["fold-constants", 2, "PACK"]]);
    expect(c.passes.map((n) => n.message)).toEqual([
      "evaluated at compile time: 'shape' = int32 [1, 4, 4, 3]", "evaluated at compile time: 'batch' = int32 [1]", "evaluated at compile time: 'target_shape' = int32 [1, 48]",
    ]);
    expect(c.graph.nodes.map((n) => n.kind)).toEqual(["RESHAPE", "RELU"]);
    const input = new Random(3).int8s(48);
    const want = dataBytes(runReference(prepare(g), [input]).outputs[0]!); // the unfolded graph, int32 arithmetic in the reference
    const [host] = await runOnHost([{ graph: g, input }]);
    expect(Buffer.from(host!.c)).toEqual(Buffer.from(want));
  });

  test("an op that only folds, on run-time int32 data, is refused naming the tensor", () => {
    const b = new GraphBuilder();
    const v = b.add("runtime_vector", [4], "int32");
    const out = b.add("slice", [2], "int32");
    const node = { index: 7, kind: "STRIDED_SLICE", inputs: [v, i32(b, "b", [1], [0]), i32(b, "e", [1], [2]), i32(b, "s", [1], [1])], outputs: [out], options: { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false } } as Node;
    const g: Graph = { name: "t", source: "t.tflite", sha256: "", tensors: b.tensors, nodes: [node], inputs: [v], outputs: [out] };
    expect(() => lower(prepare(g), "portable", loadTarget("cortex-m4"))).toThrow(/TC110.*op 7.*STRIDED_SLICE runs only at compile time here.*'runtime_vector' \(int32\) is computed at run time/);
  });

  test("STRIDED_SLICE refuses the masks TensorFlow Lite Micro would silently ignore", () => {
    const b = new GraphBuilder();
    const x = b.activation("x", [2, 3], 0.1, 0);
    const y = b.activation("y", [1, 3], 0.1, 0);
    expect(() => b.graph("ellipsis", { kind: "STRIDED_SLICE", inputs: [x, i32(b, "b", [2], [0, 0]), i32(b, "e", [2], [1, 3]), i32(b, "s", [2], [1, 1])], outputs: [y], options: { beginMask: 0, endMask: 0, ellipsisMask: 1, newAxisMask: 0, shrinkAxisMask: 0, offset: false } }, x, y))
      .toThrow(/TC115.*ellipsis_mask 1 and new_axis_mask 0/);
  });
});
