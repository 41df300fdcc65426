/**
 * Row streaming end to end (on by default; `--disable stream` turns it off), for tinyc's portable and DSP kernel families: random
 * chains of window ops compiled with streaming run on the host (and a batch
 * in QEMU) and equal the reference byte for byte, in arenas no larger than
 * without it; the planner streams most of them (the QEMU batches and the shared
 * models: stream.emu.test.ts). The control: the same code
 * with one ring a row smaller (its producer and its consumer both told so)
 * must break some case, so the planned rings are the fewest rows that work.
 * Random inverted bottlenecks (a SPACE_TO_DEPTH stem, expansion, depthwise,
 * projection and the residual ADD) stream whole blocks the same way. The
 * shared models and the zoo's defaults stream within the issue's arenas,
 * bit-exact in QEMU.
 */
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import { runCompiled } from "../src/run.js";
import { compileStreamed as streamed, invertedBottleneck, streamedChains as chains } from "./generators.js";
import { mismatches } from "./host-kernels.js";
import { chooseSegments, planMemory } from "../src/memplan/plan.js";
import { segmentOf } from "../src/memplan/segments.js";

const UNSTREAMED = ["stream"] as const;

/**
 * model.c with the first ring of the first segment one row smaller for its
 * producer and its consumer (a row kernel's `rows.out_ring` / `rows.in_ring`,
 * or a per-row call's slot `% rows`).
 */
function shrinkFirstRing(source: string, c: CompiledModel): string {
  const seg = c.plan.segments[0]!, rows = seg.rings[0]!.rows;
  const at = source.indexOf(`${`op${seg.ops[0]}`}_segment_calls[3 * call]`);
  const case0 = source.indexOf("case 0:", at), case1 = source.indexOf("case 1:", at), case2 = source.indexOf("case 2:", at);
  const end1 = case2 > 0 ? case2 : source.indexOf("default:", at);
  const find = (from: number, to: number, field: string) => {
    for (const [needle, next] of [[`rows.${field} = ${rows};`, `rows.${field} = ${rows - 1};`], [`% ${rows})`, `% ${rows - 1})`]] as const) {
      const i = source.indexOf(needle, from);
      if (i > 0 && i < to) return { i, needle, next };
    }
    return undefined;
  };
  const producer = find(case0, case1, "out_ring"), consumer = find(case1, end1, "in_ring");
  expect(at > 0 && producer !== undefined && consumer !== undefined, "the segment's ring in model.c").toBe(true);
  const edit = (s: string, e: { i: number; needle: string; next: string }) => s.slice(0, e.i) + e.next + s.slice(e.i + e.needle.length);
  return edit(edit(source, consumer!), producer!);
}

describe.each(["portable", "dsp"] as const)("row streaming, %s kernels", (backend) => {
  const cases = chains(150, 2026, backend);

  test("random chains of window ops: streamed on the host, bit-exact, in no larger an arena", async () => {
    const compiled = cases.map(streamed);
    const withStreams = compiled.filter((c) => c.plan.segments.length > 0).length;
    expect(withStreams, "chains the planner streams").toBe(150);
    compiled.forEach((c, i) => {
      const whole = compile(cases[i]!.graph, { target: "cortex-m4", backend, disable: UNSTREAMED });
      expect(c.plan.arenaBytes, `${cases[i]!.graph.name}: streamed arena`).toBeLessThanOrEqual(whole.plan.arenaBytes);
      for (const seg of c.plan.segments) for (const ring of seg.rings) expect(ring.rows).toBeGreaterThan(0);
    });
    expect(await mismatches(cases), "chains where streamed C differs from the reference").toEqual([]);
  });

  test("the choice keeps to the overhead bound; a bound just under the chosen overhead changes it", () => {
    let rebounded = 0;
    for (const k of cases.slice(0, 60)) {
      const c = streamed(k), cost = c.plan.streamCost!;
      expect(cost.overheadInstructions, `${k.graph.name}: estimated overhead`).toBeLessThanOrEqual(0.05 * cost.modelInstructions);
      expect(cost.overheadInstructions).toBe(c.plan.segments.reduce((s, seg) => s + seg.overhead, 0));
      if (cost.overheadInstructions === 0) continue;
      // The control: a bound one instruction under what was chosen must change the choice, to within the new bound.
      const under = (cost.overheadInstructions - 1) / cost.modelInstructions;
      const tighter = compile(k.graph, { target: "cortex-m4", backend, streamOverhead: under });
      expect(tighter.plan.streamCost!.overheadInstructions, `${k.graph.name}: overhead under a tighter bound`).toBeLessThanOrEqual(under * cost.modelInstructions);
      rebounded++;
    }
    expect(rebounded).toBeGreaterThan(40);
  });

  test("bands: each as tall as keeps the bound while it cuts instructions, never a larger arena than the fewest rows; a tight bound forces taller bands", () => {
    let taller = 0, forced = 0;
    for (const k of cases.slice(0, 80)) {
      const c = streamed(k), p = c.lowered, enabled = new Set(c.plan.options);
      const { segments, fewestRows } = chooseSegments(p, 16, enabled);
      expect(segments.map((s) => s.steps.join() + "x" + s.schedule.bandRows)).toEqual(c.plan.segments.map((s) => s.steps.join() + "x" + s.schedule.bandRows));
      // Whatever the placement, the taller bands never cost arena against the fewest rows.
      for (const algorithm of ["exact", "greedy"] as const) {
        const mine = planMemory(p, { algorithm }).arenaBytes;
        expect(mine, `${k.graph.name} (${algorithm}): arena against the fewest rows`).toBeLessThanOrEqual(planMemory(p, { algorithm, segments: fewestRows }).arenaBytes);
      }
      // Each segment stops growing where twice its band would raise the bound or cut no instructions.
      for (const [i, seg] of c.plan.segments.entries()) {
        if (seg.schedule.bandRows > 1) taller++;
        const first = seg.steps[0]!, last = seg.steps.at(-1)!, rows = c.graph.tensors[seg.output]!.shape[1]!;
        const twice = 2 * seg.schedule.bandRows;
        if (twice >= rows) continue;
        const wider = segmentOf(p, first, last, false, twice)!;
        const others = c.plan.segments.map((s, j) => (j === i ? wider : s));
        const bound = planMemory(p, { segments: others }).boundBytes;
        expect(bound > c.plan.boundBytes || wider.overhead >= seg.overhead, `${k.graph.name}: segment ${seg.ops.join(",")} could take bands of ${twice}`).toBe(true);
      }
      // Under a bound a tenth as large, some segments need more than one row a band to fit it at all.
      const tight = chooseSegments(p, 16, enabled, undefined, 0.005);
      if (tight.fewestRows.some((s) => s.schedule.bandRows > 1)) forced++;
    }
    // These run in the bit-exact batches above with the rest.
    expect(taller, "cases with bands of more than one row").toBeGreaterThan(3);
    expect(forced, "cases a tight bound forces to bands of more than one row").toBeGreaterThan(0);
  });

  test("the layer check on the host: every op of 30 streamed chains equals the reference, rows no op reads left out of the comparison", async () => {
    let partly = 0;
    for (const k of cases.slice(0, 30)) {
      const c = compile(k.graph, { target: "host", backend });
      const r = await runCompiled(c, { input: k.input as Int8Array });
      expect(r.matches && r.layers.every((l) => l.matches), `${k.graph.name}: output and every layer`).toBe(true);
      partly += r.layers.filter((l) => l.rows).length;
    }
    expect(partly, "streamed ops whose last rows no op reads").toBeGreaterThan(0);
  });

  test("control: a ring one row smaller than planned breaks some case", async () => {
    const shrinkable = cases.filter((k) => {
      const segs = streamed(k).plan.segments;
      return segs.length > 0 && segs[0]!.rings[0]!.rows >= 2;
    });
    expect(shrinkable.length).toBeGreaterThan(50);
    const broken = (await mismatches(shrinkable.map((k) => ({ ...k, edit: shrinkFirstRing })))).length;
    expect(broken, "cases a ring one row smaller breaks").toBeGreaterThan(shrinkable.length / 4);
  });

  describe("inverted bottlenecks", () => {
    const blocks = chains(60, 11, backend, invertedBottleneck);
    test("whole blocks stream with their residual ADD (and SPACE_TO_DEPTH stems), bit-exact on the host, in a smaller arena", async () => {
      const compiled = blocks.map(streamed);
      const kinds = (c: CompiledModel) => c.plan.segments.flatMap((s) => s.ops.map((op) => c.graph.nodes.find((n) => n.index === op)!.kind));
      expect(compiled.filter((c) => kinds(c).includes("ADD")).length, "cases streaming an ADD").toBeGreaterThan(40);
      // A stem's segment is often over the 5 % overhead bound in these small blocks (tens of thousands of instructions).
      expect(compiled.filter((c) => kinds(c).includes("SPACE_TO_DEPTH")).length, "cases streaming a SPACE_TO_DEPTH").toBeGreaterThan(3);
      let smaller = 0;
      compiled.forEach((c, i) => {
        const whole = compile(blocks[i]!.graph, { target: "cortex-m4", backend, disable: UNSTREAMED });
        expect(c.plan.arenaBytes, `${blocks[i]!.graph.name}: streamed arena`).toBeLessThanOrEqual(whole.plan.arenaBytes);
        if (c.plan.arenaBytes < whole.plan.arenaBytes) smaller++;
      });
      expect(smaller, "cases whose arena streaming lowers").toBeGreaterThan(40);
      expect(await mismatches(blocks), "blocks where streamed C differs from the reference").toEqual([]);
    });

    test("control: a ring one row smaller than planned breaks some block", async () => {
      const shrinkable = blocks.filter((k) => (streamed(k).plan.segments[0]?.rings[0]?.rows ?? 0) >= 2);
      expect(shrinkable.length).toBeGreaterThan(20);
      const broken = (await mismatches(shrinkable.map((k) => ({ ...k, edit: shrinkFirstRing })))).length;
      expect(broken, "blocks a ring one row smaller breaks").toBeGreaterThan(shrinkable.length / 4);
    });
  });
});
