/**
 * Models with several inputs and outputs: one accessor and one set of macros
 * per input and output in model.h, inputs given one buffer each or
 * concatenated, every output compared and reported (library and CLI; in QEMU
 * and through `tinyc run`: interfaces.emu.test.ts).
 */
import { describe, expect, test } from "vitest";
import { TinycError } from "../src/diagnostics.js";
import { modelInputs } from "../src/run.js";
import { severalInputs, severalOutputs } from "./generators.js";

describe("several inputs and outputs", () => {
  const { c, a, b } = severalInputs();

  test("model.h has an accessor and macros per input and output, in the model's order", () => {
    const h = c.generated.header;
    expect(h).toMatch(/#define TINYC_TWO_BY_TWO_INPUTS 2\n#define TINYC_TWO_BY_TWO_OUTPUTS 2/);
    for (const [role, k, name, shape] of [["INPUT", 0, "a", "1, 4, 5, 3"], ["INPUT", 1, "b", "1, 4, 5, 3"], ["OUTPUT", 0, "sum", "1, 4, 5, 3"], ["OUTPUT", 1, "proj", "1, 4, 5, 2"]] as const) {
      expect(h).toContain(`#define TINYC_TWO_BY_TWO_${role}${k}_SHAPE { ${shape} }`);
      expect(h).toContain(`int8_t *tinyc_two_by_two_${role.toLowerCase()}${k}(void);`);
      expect(h).toMatch(new RegExp(`${role === "INPUT" ? "Input" : "Output"} ${k} '${name}'`));
    }
    expect(h).toContain("#define TINYC_TWO_BY_TWO_INPUT1_ZERO_POINT (9)");
    expect(h).toContain("#define tinyc_two_by_two_input tinyc_two_by_two_input0");
    expect(c.generated.source).toMatch(/int8_t \*tinyc_two_by_two_output1\(void\) \{/);
  });

  test("inputs one buffer each or concatenated; sizes are checked per input", () => {
    const cat = new Int8Array([...a, ...b]);
    expect(modelInputs(c, [a, b]).map((x) => [...x])).toEqual(modelInputs(c, cat).map((x) => [...x]));
    expect(() => modelInputs(c, [a])).toThrow(/TC120.*the input has 60 bytes; the model's 2 inputs need 120 together \(input 0 'a' \[1, 4, 5, 3\] int8: 60 bytes; input 1 'b'/);
    expect(() => modelInputs(c, [a, new Int8Array(7)])).toThrow(TinycError);
    expect(() => modelInputs(c, [a, new Int8Array(7)])).toThrow(/2 inputs of 60, 7 bytes given/);
  });
});

describe("an op with several outputs", () => {
  const { c, x, want } = severalOutputs();

  test("each output gets its own buffer, and the reference's layer is their bytes in order", () => {
    const split = c.graph.nodes[0]!;
    const offsets = split.outputs.map((id) => c.plan.tensorOffsets.get(id)!);
    expect(new Set(offsets).size).toBe(3);
    expect([...want.layers[0]!]).toEqual([0, 1, 2].flatMap((k) => [...x].filter((_, i) => Math.floor((i % 6) / 2) === k)).map((v) => v & 0xff));
  });
});
