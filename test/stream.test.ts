/**
 * Row streaming end to end (`--enable stream`), for tinyc's portable and DSP kernel families: random
 * chains of window ops compiled with streaming run on the host (and a batch
 * in QEMU) and equal the reference byte for byte, in arenas no larger than
 * without it; the planner streams most of them. The control: the same code
 * with one ring a row smaller (its producer and its consumer both told so)
 * must break some case, so the planned rings are the fewest rows that work.
 * The shared models stream within the issue's arenas, bit-exact in QEMU.
 */
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import type { Backend } from "../src/kernels/registry.js";
import { runCompiled } from "../src/run.js";
import { windowChain } from "./generators.js";
import { inputFor, mismatches, Random, runOnHost, type HostCase } from "./host-kernels.js";
import { modelPath, needsEmulator } from "./helpers.js";

const STREAM = ["stream"] as const;

/** Random chains, `count` of them that the planner streams and a tenth as many that it leaves whole. */
function chains(count: number, seed: number, backend: Backend): HostCase[] {
  const r = new Random(seed);
  const cases: HostCase[] = [], whole: HostCase[] = [];
  for (let i = 0; cases.length < count && i < 50 * count; i++) {
    const graph = windowChain(r, i);
    if (!graph) continue;
    const k: HostCase = { graph, input: inputFor(r, graph), enable: STREAM, backend };
    if (streamed(k).plan.segments.length > 0) cases.push(k);
    else if (whole.length < count / 10) whole.push(k);
  }
  return [...cases, ...whole];
}

function streamed(k: HostCase): CompiledModel {
  return compile(k.graph, { target: "cortex-m4", backend: k.backend, enable: STREAM });
}

/** model.c with the first ring of the first segment one row smaller for its producer and its consumer. */
function shrinkFirstRing(source: string, c: CompiledModel): string {
  const seg = c.plan.segments[0]!, rows = seg.rings[0]!.rows;
  const at = source.indexOf(`${`op${seg.ops[0]}`}_segment_calls[3 * call]`);
  const producer = source.indexOf(`rows.out_ring = ${rows};`, source.indexOf("case 0:", at));
  const consumer = source.indexOf(`rows.in_ring = ${rows};`, source.indexOf("case 1:", at));
  expect(at > 0 && producer > 0 && consumer > 0, "the segment's ring in model.c").toBe(true);
  const edit = (s: string, i: number, from: string, to: string) => s.slice(0, i) + to + s.slice(i + from.length);
  const once = edit(source, consumer, `rows.in_ring = ${rows};`, `rows.in_ring = ${rows - 1};`);
  return edit(once, producer, `rows.out_ring = ${rows};`, `rows.out_ring = ${rows - 1};`);
}

describe.each(["portable", "dsp"] as const)("row streaming, %s kernels", (backend) => {
  const cases = chains(150, 2026, backend);

  test("random chains of window ops: streamed on the host, bit-exact, in no larger an arena", async () => {
    const compiled = cases.map(streamed);
    const withStreams = compiled.filter((c) => c.plan.segments.length > 0).length;
    expect(withStreams, "chains the planner streams").toBe(150);
    compiled.forEach((c, i) => {
      const whole = compile(cases[i]!.graph, { target: "cortex-m4", backend });
      expect(c.plan.arenaBytes, `${cases[i]!.graph.name}: streamed arena`).toBeLessThanOrEqual(whole.plan.arenaBytes);
      for (const seg of c.plan.segments) for (const ring of seg.rings) expect(ring.rows).toBeGreaterThan(0);
    });
    expect(await mismatches(cases), "chains where streamed C differs from the reference").toEqual([]);
  });

  test("control: a ring one row smaller than planned breaks some case", async () => {
    const shrinkable = cases.filter((k) => {
      const segs = streamed(k).plan.segments;
      return segs.length > 0 && segs[0]!.rings[0]!.rows >= 2;
    });
    expect(shrinkable.length).toBeGreaterThan(50);
    const results = await runOnHost(shrinkable.map((k) => ({ ...k, edit: shrinkFirstRing })));
    const broken = results.filter((r) => Buffer.compare(Buffer.from(r.c), Buffer.from(r.reference)) !== 0).length;
    expect(broken, "cases a ring one row smaller breaks").toBeGreaterThan(shrinkable.length / 4);
  });

  for (const target of ["cortex-m4", "cortex-m33"]) {
    test(`a batch of streamed chains in QEMU (${target})`, async (ctx) => {
      needsEmulator(ctx);
      expect(await mismatches(cases.slice(0, 60), target), "chains where the firmware differs from the reference").toEqual([]);
    });
  }

  test("the shared models stream within the issue's arenas, bit-exact in QEMU", async (ctx) => {
    needsEmulator(ctx);
    for (const [model, limit] of [["person_detect", 20480], ["vww_96_int8", 28672]] as const) {
      const c = compile(modelPath(model), { target: "cortex-m4", backend, enable: STREAM });
      expect(c.plan.segments.length, `${model}: segments`).toBeGreaterThan(0);
      expect(c.plan.arenaBytes, `${model}: streamed arena`).toBeLessThanOrEqual(limit);
      const r = await runCompiled(c);
      expect(r.matches, `${model}: output`).toBe(true);
      expect(r.layers.every((l) => l.matches), `${model}: every layer`).toBe(true);
    }
  });
});
