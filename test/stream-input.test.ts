/**
 * `--stream-input`: the model input is never whole in the arena; invoke()
 * asks the user's callback for each row just before the first op reads it,
 * into a ring. Random window chains (portable and DSP kernels) give the
 * reference's bytes on the host and in QEMU, the rows asked for once each and
 * in order (the test callback refuses anything else); the control runs the
 * same code with the input's ring one row smaller and must break some case.
 * The shared models fit the 20,480 bytes, bit-exact every layer and
 * equal to TensorFlow Lite Micro's golden output. Inputs that cannot stream
 * are refused with TC123, naming the file, the input and the op. In QEMU:
 * stream-input.emu.test.ts.
 */
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { streamInputCases, streams, windowChain } from "./generators.js";
import { mismatches, Random } from "./host-kernels.js";
import { modelPath, ROOT } from "./helpers.js";
import type { Graph } from "../src/compiler/ir.js";
import { execa } from "execa";
import { join } from "node:path";

const tinyc = (...args: string[]) => execa("node", [join(ROOT, "dist", "cli", "main.js"), ...args], { reject: false });

/** model.c with the streamed input's ring one row smaller (the callback's slot and the first op's ring both). */
function shrinkInputRing(source: string, c: CompiledModel): string {
  const rows = c.plan.segments.find((s) => s.inputRing)!.inputRing!.rows;
  const needle = `const int32_t input_ring = ${rows};`;
  expect(source.includes(needle), "the input ring in model.c").toBe(true);
  return source.replace(needle, `const int32_t input_ring = ${rows - 1};`);
}

describe.each(["portable", "dsp"] as const)("streamed input, %s kernels", (backend) => {
  const cases = streamInputCases(backend);

  test("random chains: the input arrives row by row, bit-exact on the host, in an arena larger by the ring at most", async () => {
    expect(cases.length, "chains whose input streams").toBeGreaterThan(80);
    let smaller = 0;
    for (const k of cases) {
      const c = compile(k.graph, { backend, streamInput: true }), held = compile(k.graph, { backend });
      const ring = c.plan.segments[0]!.inputRing!;
      expect(ring.tensor).toBe(c.graph.inputs[0]);
      // A held input may lie under the output's rows (an overlap a ring cannot offer): at most the ring more.
      expect(c.plan.arenaBytes, `${k.graph.name}: arena`).toBeLessThanOrEqual(held.plan.arenaBytes + Math.ceil(ring.bytes / 16) * 16);
      if (c.plan.arenaBytes < held.plan.arenaBytes) smaller++;
      // The overhead bound is on what streaming adds beyond the streamed input's own row calls.
      const cost = c.plan.streamCost!;
      expect(cost.overheadInstructions - cost.inputInstructions).toBeLessThanOrEqual(0.05 * cost.modelInstructions);
      // No accessor for the input: its rows come from the callback declared in model.h.
      expect(c.generated.header).toMatch(new RegExp(`int ${c.generated.names.input}0_row\\(int32_t y, int8_t \\*row\\);`));
      expect(c.generated.header).not.toMatch(new RegExp(`\\*${c.generated.names.input}0\\(void\\)`));
    }
    // Small chains often peak after the first op, or write their first op's output over the held input in place.
    expect(smaller, "chains whose arena a streamed input lowers").toBeGreaterThan(cases.length / 8);
    expect(await mismatches(cases), "chains where C differs from the reference").toEqual([]);
  });

  test("control: an input ring one row smaller than planned breaks some case", async () => {
    const shrinkable = cases.filter((k) => compile(k.graph, { backend, streamInput: true }).plan.segments[0]!.inputRing!.rows >= 2);
    expect(shrinkable.length).toBeGreaterThan(50);
    const broken = (await mismatches(shrinkable.map((k) => ({ ...k, edit: shrinkInputRing })))).length;
    expect(broken, "cases an input ring one row smaller breaks").toBeGreaterThan(shrinkable.length / 4);
  });
});

/** The chain with a second input, the shape of its output, added to that output (an ADD reading the second input as its second operand). */
function withSecondInput(g: Graph): Graph {
  const out = g.tensors[g.outputs[0]!]!, second = g.tensors.length, sum = second + 1;
  return {
    ...g,
    tensors: [...g.tensors, { ...out, id: second, name: "second", data: undefined }, { ...out, id: sum, name: "sum", data: undefined }],
    inputs: [...g.inputs, second], outputs: [sum],
    nodes: [...g.nodes, { index: g.nodes.length, kind: "ADD", inputs: [g.outputs[0]!, second], outputs: [sum], options: { activation: "NONE" } }],
  };
}

describe.each(["portable", "dsp"] as const)("a model with two inputs, %s kernels", (backend) => {
  const r = new Random(91);
  const graphs: Graph[] = [];
  for (let i = 0; graphs.length < 12 && i < 500; i++) {
    const chain = windowChain(r, i);
    if (chain && streams(chain, backend)) graphs.push(withSecondInput(chain));
  }

  test("streams the input it is told to (by name or index), holds the other, and runs bit-exact on the host; refuses to guess, and refuses the ADD's operand", async () => {
    expect(graphs.length).toBe(12);
    for (const [k, g] of graphs.entries()) {
      const c = compile(g, { target: "host", backend, streamInput: k % 2 === 0 ? "input" : "0" });
      expect(c.plan.segments.find((s) => s.inputRing)?.inputRing?.tensor, `${g.name}: the streamed input`).toBe(g.inputs[0]);
      expect(c.generated.header).toMatch(new RegExp(`int ${c.generated.names.input}0_row\\(int32_t y, int8_t \\*row\\);`));
      expect(c.generated.header).toMatch(new RegExp(`\\*${c.generated.names.input}1\\(void\\)`));
      const run = await runCompiled(c);
      expect({ out: run.matches, layers: run.layers.map((l) => l.matches) }, `${g.name}: output and every layer`).toEqual({ out: true, layers: run.layers.map(() => true) });
    }
    expect(() => compile(graphs[0]!, { backend, streamInput: true })).toThrow(/TC123.*the model has 2 inputs; name the one to stream.*0 'input', 1 'second'/);
    expect(() => compile(graphs[0]!, { backend, streamInput: "second" })).toThrow(/TC123.*tensor 'second'.*cannot read its input row by row/);
  });
});

describe("inputs that cannot stream", () => {
  const r = new Random(5);
  let chain: Graph | undefined;
  for (let i = 0; !chain || !streams(chain, "portable"); i++) chain = windowChain(r, i);

  test("with row streaming off, with an unknown name, or read by two ops: TC123 names the file, the input and the op", async () => {
    expect(() => compile(chain!, { streamInput: true, disable: ["stream"] })).toThrow(/TC123.*--stream-input needs row streaming/);
    expect(() => compile(chain!, { streamInput: "camera" })).toThrow(/TC123.*no model input 'camera'; the inputs are 0 'input'/);
    // The input read by two ops (the chain's first op, and an ADD of the input with itself).
    const c0 = chain!;
    const sum = { ...c0, tensors: [...c0.tensors, { ...c0.tensors[c0.inputs[0]!]!, id: c0.tensors.length, name: "sum" }] };
    const twice: Graph = {
      ...sum, outputs: [...sum.outputs, sum.tensors.length - 1],
      nodes: [...sum.nodes, { index: sum.nodes.length, kind: "ADD", inputs: [sum.inputs[0]!, sum.inputs[0]!], outputs: [sum.tensors.length - 1], options: { activation: "NONE" } }],
    };
    expect(() => compile(twice, { streamInput: true })).toThrow(/TC123.*tensor 'input'.*is read by 2 ops/);
    const cli = await tinyc("plan", modelPath("vww_96_int8"), "--stream-input", "--disable", "stream");
    expect(cli.exitCode).not.toBe(0);
    expect(cli.stderr).toMatch(/error TC123 .*vww_96_int8\.tflite.*--stream-input needs row streaming/);
  });

  test("plan --json reports the input's ring", async () => {
    const p = JSON.parse((await tinyc("plan", modelPath("vww_96_int8"), "--stream-input", "--json")).stdout);
    expect(p.arenaBytes).toBeLessThanOrEqual(20480);
    expect(p.segments[0]).toMatchObject({ ops: [0, 1, 2, 3], inputRing: { rows: 3, bytes: 3 * 96 * 3 } });
    const cmsis = await tinyc("plan", modelPath("vww_96_int8"), "--stream-input", "--backend", "cmsis-nn", "--cmsis-nn-version", "v7.0.0");
    expect(cmsis.exitCode, cmsis.stderr).not.toBe(0);
    expect(cmsis.stderr).toMatch(/TC123.*op 0 \(CONV_2D\), which cannot read its input row by row through a ring with the cmsis-nn kernels/);
  });
});
