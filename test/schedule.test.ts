/**
 * Operator reordering. A graph with two branches that each widen and then
 * narrow, listed so that both wide tensors are alive at once, is run one
 * branch at a time: its bound drops, it equals the best bound over every
 * topological order (brute force), and the reordered code is bit-exact on the
 * host and, per layer, in QEMU. Chains keep their order.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Graph, Node } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { planMemory } from "../src/memplan/plan.js";
import { runCompiled } from "../src/run.js";
import { GraphBuilder, inputFor, mismatches, Random } from "./host-kernels.js";
import { lowerGraph, modelPath, needsEmulator } from "./helpers.js";

const CONV = { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "NONE" } as const;

/** x → (1x1 widen → 1x1 narrow) twice, in parallel, concatenated; ops listed widen, widen, narrow, narrow, concat. */
function twoBranches(r: Random, wide = 32): Graph {
  const b = new GraphBuilder();
  const x = b.activation("x", [1, 8, 8, 4], 0.05, 3);
  // The narrow outputs share the concatenation's quantization (it does not rescale).
  const conv = (name: string, input: number, inC: number, outC: number): [number, Omit<Node, "index">] => {
    const f = b.int8Const(`${name}_w`, [outC, 1, 1, inC], r.int8s(outC * inC), Array(outC).fill(0.01), 0);
    const out = b.activation(name, [1, 8, 8, outC], 0.08, outC === 4 ? 0 : r.int(-20, 20));
    return [out, { kind: "CONV_2D", inputs: [input, f], outputs: [out], options: CONV } as Omit<Node, "index">];
  };
  const [a1, opA1] = conv("a1", x, 4, wide), [b1, opB1] = conv("b1", x, 4, wide);
  const [a2, opA2] = conv("a2", a1, wide, 4), [b2, opB2] = conv("b2", b1, wide, 4);
  const y = b.activation("y", [1, 8, 8, 8], 0.08, 0);
  const cat = { kind: "CONCATENATION", inputs: [a2, b2], outputs: [y], options: { axis: 3, activation: "NONE" } } as Omit<Node, "index">;
  const nodes = [opA1, opB1, opA2, opB2, cat].map((n, index) => ({ ...n, index }) as Node);
  return legalize({ name: "two_branches", source: "two_branches (generated)", sha256: "0".repeat(64), tensors: b.tensors, nodes, inputs: [x], outputs: [y] });
}

function topologicalOrders(g: Graph): Node[][] {
  const producer = new Map(g.nodes.map((n) => [n.outputs[0]!, n]));
  const orders: Node[][] = [];
  const walk = (done: Node[]): void => {
    if (done.length === g.nodes.length) return void orders.push(done);
    for (const n of g.nodes) {
      if (done.includes(n)) continue;
      if (n.inputs.every((i) => !producer.has(i) || done.includes(producer.get(i)!))) walk([...done, n]);
    }
  };
  walk([]);
  return orders;
}

describe("operator reordering", () => {
  test("runs one branch at a time: the bound drops to the best over every order", () => {
    const g = twoBranches(new Random(5));
    // Planned with the portable kernels, as the brute force below; one op at a
    // time (row streaming, which the order search does not see, stays off).
    const kept = compile(g, { backend: "portable", disable: ["reorder", "stream"] }), moved = compile(g, { backend: "portable", disable: ["stream"] });
    expect(kept.schedule.reordered).toBe(false);
    expect(moved.schedule.reordered).toBe(true);
    expect(moved.plan.boundBytes).toBeLessThan(kept.plan.boundBytes);
    expect(moved.schedule.search).toMatchObject({ peakBefore: kept.plan.boundBytes, peakAfter: moved.plan.boundBytes, exhaustive: true });
    // Each wide tensor is consumed before the other branch starts.
    const order = moved.graph.nodes.map((n) => n.index);
    expect(Math.abs(order.indexOf(0) - order.indexOf(2))).toBe(1);
    // Brute force over every topological order, planned with the same options.
    const orders = topologicalOrders(g);
    expect(orders.length).toBe(6);
    const bounds = orders.map((nodes) => planMemory(lowerGraph({ ...g, nodes }), { disable: ["reorder", "stream"] }).boundBytes);
    expect(moved.plan.boundBytes).toBe(Math.min(...bounds));
    expect(moved.plan.arenaBytes).toBe(moved.plan.boundBytes);
  });

  test("reordered code is bit-exact with the reference on the host", async () => {
    const r = new Random(11);
    const cases = [5, 6, 7].map((seed) => {
      const g = { ...twoBranches(new Random(seed), 16 + seed), name: `two_branches_${seed}` };
      return { graph: g, input: inputFor(r, g) };
    });
    expect(cases.every((k) => compile(k.graph).schedule.reordered)).toBe(true);
    expect(await mismatches(cases)).toEqual([]);
  });

  test("reordered code is bit-exact in QEMU, layer by layer in execution order", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(twoBranches(new Random(5)));
    const run = await runCompiled(c);
    expect(run.matches).toBe(true);
    expect(run.layers.map((l) => l.op)).toEqual(c.graph.nodes.map((n) => n.index));
    // Streamed ops run inside the segment's last op, which counts their instructions.
    expect(run.layers.every((l) => l.matches && (l.instructions > 0) !== l.kernel.endsWith("(streamed)"))).toBe(true);
  });

  test("a chain keeps its order", () => {
    const c = compile(modelPath("vww_96_int8"));
    expect(c.schedule).toMatchObject({ reordered: false, search: { exhaustive: true } });
    expect(c.graph.nodes.map((n) => n.index)).toEqual(c.graph.nodes.map((_, i) => i));
  });
});
