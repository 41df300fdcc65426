/**
 * The .tflite writer: read → write → read gives the same graph (tensors with
 * their shapes, types, quantization and constant bytes; ops with their kinds,
 * operands and options), for the shared models and for a random model of every
 * op; and the written model computes what the original computes.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Graph } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases } from "./host-kernels.js";
import { goldenBytes, MODEL_NAMES, modelPath } from "./helpers.js";

/** The graph without where it came from, with typed arrays as plain arrays (for toEqual). */
function comparable(g: Graph) {
  return {
    tensors: g.tensors.map((t) => ({ ...t, data: t.data ? Array.from(t.data) : undefined, shape: [...t.shape], quant: t.quant && { ...t.quant, scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint] } })),
    nodes: g.nodes,
    inputs: g.inputs,
    outputs: g.outputs,
  };
}

describe("writer round trip", () => {
  test.each(MODEL_NAMES)("%s reads back as the same graph and the same outputs", (m) => {
    const original = readTflite(new Uint8Array(readFileSync(modelPath(m))), modelPath(m));
    const bytes = writeTflite(original);
    const again = readTflite(bytes, "written.tflite");
    expect(comparable(again)).toEqual(comparable(original));
    const input = goldenBytes(m, "input", "seed1");
    expect([...runReference(prepare(legalize(again)), [input]).outputs[0]!]).toEqual([...goldenBytes(m, "output", "seed1")]);
    // Written again, the bytes are identical: the writer is deterministic.
    expect(Buffer.compare(Buffer.from(writeTflite({ ...again, name: original.name })), Buffer.from(bytes))).toBe(0);
  });

  test.each(Object.keys({ ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS }))("random %s models round-trip", (op) => {
    const gen = { ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS }[op]!;
    for (const k of generateCases(0xabc + op.length, 25, gen)) {
      const again = readTflite(writeTflite(k.graph), "written.tflite");
      expect(comparable(again), k.graph.name).toEqual(comparable(k.graph));
      const a = runReference(prepare(k.graph), [k.input]).outputs[0]!;
      const b = runReference(prepare(legalize(again)), [k.input]).outputs[0]!;
      expect([...b]).toEqual([...a]);
    }
  });
});
