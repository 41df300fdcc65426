/**
 * Planner tests as tables: algorithm × topology (drawn as lifetimes, one row per
 * buffer: bytes and the steps it lives) × expected arena bytes; every plan is
 * checked by the overlap checker. On the real models, the recorded figures are
 * a two-sided check.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { MEMORY_OPTIONS } from "../src/memory_options.js";
import { layerwiseBound } from "../src/memplan/bounds.js";
import { asciiPlan, overlaps } from "../src/memplan/check.js";
import { PLACEMENT_ALGORITHMS, type PlacementName } from "../src/memplan/plan.js";
import type { BufferRecord } from "../src/memplan/types.js";
import { MODEL_NAMES, modelPath, ROOT } from "./helpers.js";

/** Parses rows like "100 ##..": bytes, then one character per step ('#' alive). */
function topology(drawing: string, align = 16): BufferRecord[] {
  return drawing.trim().split("\n").map((row, id) => {
    const [bytes, life] = row.trim().split(/\s+/) as [string, string];
    return { id, name: `t${id}`, bytes: Number(bytes), firstUse: life.indexOf("#"), lastUse: life.lastIndexOf("#"), align };
  });
}

const TABLE: { name: string; drawing: string; algorithm: PlacementName; arena: number; bound: number }[] = [
  { name: "chain", algorithm: "greedy", arena: 48, bound: 48, drawing: `
      16 ##..
      32 .##.
      16 ..##` },
  { name: "residual: the skip input stays alive", algorithm: "greedy", arena: 64, bound: 64, drawing: `
      32 ###.
      32 .#..
      32 ..#.
      32 ...#` },
  { name: "alignment rounds each buffer up", algorithm: "greedy", arena: 48, bound: 48, drawing: `
      1  ##.
      17 .##` },
  // A miniature of vww_96_int8's chain: greedy by size strands the second-largest buffer.
  { name: "chain where largest-first strands a buffer", algorithm: "greedy", arena: 112, bound: 96, drawing: `
      48 ##...
      32 .##..
      32 ..##.
      64 ...##
      16 ....#` },
  { name: "chain where largest-first strands a buffer", algorithm: "exact", arena: 96, bound: 96, drawing: `
      48 ##...
      32 .##..
      32 ..##.
      64 ...##
      16 ....#` },
  { name: "interleaved lifetimes reuse freed space", algorithm: "greedy", arena: 48, bound: 48, drawing: `
      16 ##....
      32 .##...
      32 ...##.
      16 ....##
      16 #.....
      16 ..##..` },
];

describe("placement tables", () => {
  test.each(TABLE)("$algorithm on $name: arena $arena, bound $bound", ({ drawing, algorithm, arena, bound }) => {
    const buffers = topology(drawing);
    const steps = Math.max(...buffers.map((b) => b.lastUse)) + 1;
    const placement = PLACEMENT_ALGORITHMS[algorithm]!(buffers, []);
    const check = overlaps(buffers, placement);
    expect(check, asciiPlan(buffers, placement, steps)).toEqual({ overlaps: [], misaligned: [], outside: [] });
    expect(layerwiseBound(buffers, steps)).toBe(bound);
    expect(placement.arenaBytes).toBe(arena);
    expect(placement.arenaBytes).toBeGreaterThanOrEqual(bound);
  });

  test("the overlap checker catches a bad placement", () => {
    const buffers = topology(`
      32 ##
      32 .#`);
    const bad = { offsets: new Map([[0, 0], [1, 16]]), arenaBytes: 48 };
    expect(overlaps(buffers, bad).overlaps).toEqual([{ a: 0, b: 1 }]);
    expect(overlaps(buffers, { offsets: new Map([[0, 0], [1, 40]]), arenaBytes: 64 }).misaligned).toEqual([1]);
  });
});

describe("real models", () => {
  const recorded = JSON.parse(readFileSync(join(ROOT, "test", "expected", "plans.json"), "utf8"));
  const configs = [["exact", "exact", false], ["greedy", "greedy", false], ["exact, whole buffers", "exact", true], ["greedy, whole buffers", "greedy", true]] as const;
  const backends = ["portable", "dsp"] as const;
  test.each(backends.flatMap((b) => MODEL_NAMES.flatMap((m) => configs.map((c) => [m, b, ...c] as const))))("%s (%s), %s placement, matches the recorded arena and bounds", (m, backend, name, placement, whole) => {
    const c = compile(modelPath(m), { target: "cortex-m4", backend, placement, disable: whole ? MEMORY_OPTIONS : [] });
    const got = { arenaBytes: c.plan.arenaBytes, lowerBoundBytes: c.plan.lowerBoundBytes, overlapBoundBytes: c.plan.overlapBoundBytes ?? null, streamBoundBytes: c.plan.streamBoundBytes ?? null, optimal: c.plan.optimal };
    expect(got).toEqual(recorded[backend][m][name]);
    expect(overlaps(c.plan.buffers, c.plan.placement, c.plan.rules)).toEqual({ overlaps: [], misaligned: [], outside: [] });
    if (whole) expect(c.plan.rules).toEqual([]);
    // Every tensor an op touches has an arena offset, and the reshape output aliases its input.
    for (const node of c.graph.nodes) {
      for (const id of [...node.inputs, ...node.outputs]) {
        if (id >= 0 && !c.graph.tensors[id]!.data) expect(c.plan.tensorOffsets.has(id)).toBe(true);
      }
      if (node.kind === "RESHAPE") expect(c.plan.tensorOffsets.get(node.outputs[0]!)).toBe(c.plan.tensorOffsets.get(node.inputs[0]!));
    }
  });
});
