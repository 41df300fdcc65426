/**
 * Operator reordering. A graph with two branches that each widen and then
 * narrow, listed so that both wide tensors are alive at once, is run one
 * branch at a time: its bound drops, it equals the best bound over every
 * topological order (brute force), and the reordered code is bit-exact on the
 * host and, per layer, in QEMU (schedule.emu.test.ts). Chains keep their order.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import type { Graph, Node } from "../src/compiler/ir.js";
import { planMemory } from "../src/memplan/plan.js";
import { twoBranches } from "./generators.js";
import { inputFor, mismatches, Random } from "./host-kernels.js";
import { lowerGraph, modelPath } from "./helpers.js";

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

  test("a chain keeps its order", () => {
    const c = compile(modelPath("vww_96_int8"));
    expect(c.schedule).toMatchObject({ reordered: false, search: { exhaustive: true } });
    expect(c.graph.nodes.map((n) => n.index)).toEqual(c.graph.nodes.map((_, i) => i));
  });
});
