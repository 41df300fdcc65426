/** The TypeScript reference against TensorFlow Lite Micro's golden bytes: every case, every recorded layer. */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { legalize } from "../src/compiler/passes/legalize.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { readTfliteFile } from "../src/compiler/tflite/reader.js";
import { xorshiftInput } from "../src/inputs.js";
import { goldenBytes, goldenCases, goldenLayers, MODEL_NAMES, modelPath } from "./helpers.js";

describe.each(MODEL_NAMES)("%s reference", (m) => {
  const prepared = prepare(legalize(readTfliteFile(modelPath(m))));

  test.each(goldenCases(m))("case %s equals the golden output, layer by layer", (c) => {
    const r = runReference(prepared, [goldenBytes(m, "input", c)]);
    expect([...r.outputs[0]!]).toEqual([...goldenBytes(m, "output", c)]);
    const layers = goldenLayers(m, c);
    if (layers) {
      expect(layers.length).toBe(prepared.graph.nodes.length);
      layers.forEach((l, i) => {
        const gold = new Int8Array(readFileSync(l.file));
        expect(Buffer.compare(Buffer.from(r.layers[i]!), Buffer.from(gold)), `op ${i}`).toBe(0);
      });
    }
  });

  test("the seed inputs are the documented xorshift32 stream", () => {
    const seed1 = xorshiftInput(1, goldenBytes(m, "input", "seed1").length);
    expect([...seed1.subarray(0, 8)].map((v) => (v & 0xff).toString(16).padStart(2, "0")).join(" ")).toBe("21 01 c5 4f d1 d0 1a b2");
    expect([...seed1]).toEqual([...goldenBytes(m, "input", "seed1")]);
    expect([...xorshiftInput(2, seed1.length)]).toEqual([...goldenBytes(m, "input", "seed2")]);
  });
});
