/**
 * Lowering decides each op's facts once: every op is prepared a single time
 * per compile (an op PAD folding rewrites, once more), and the lowered graph
 * holds a fact record for every op the planner and the code generator see.
 */
import { describe, expect, test, vi } from "vitest";
import { compile } from "../src/compile.js";
import { OPS } from "../src/compiler/ops/index.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { readTfliteFile } from "../src/compiler/tflite/reader.js";
import { MODEL_NAMES, modelPath } from "./helpers.js";

/** Node indices passed to any op module's prepare() while `run` runs. */
function preparedIndices(run: () => void): number[] {
  const spies = OPS.map((m) => vi.spyOn(m, "prepare"));
  try {
    run();
    return spies.flatMap((s) => s.mock.calls.map(([node]) => (node as { index: number }).index));
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

describe("lowering", () => {
  test.each(MODEL_NAMES)("%s: each op is prepared once per compile", (m) => {
    const ops = readTfliteFile(modelPath(m)).nodes.length;
    let c: ReturnType<typeof compile> | undefined;
    const calls = preparedIndices(() => (c = compile(modelPath(m))));
    const rewritten = c!.passes.filter((n) => n.pass === "fold-pad").map((n) => n.message);
    expect(calls.length, `prepare() calls for ${ops} ops`).toBe(ops + rewritten.length);
    expect(new Set(calls).size).toBe(ops);
    // Every op left has its facts, and the reference reads the same parameters objects.
    expect([...c!.lowered.ops.keys()].sort((a, b) => a - b)).toEqual(c!.graph.nodes.map((n) => n.index).sort((a, b) => a - b));
    for (const node of c!.graph.nodes) expect(c!.prepared.params.get(node.index)).toBe(c!.lowered.ops.get(node.index)!.params);
  });

  test.each(MODEL_NAMES)("%s: each op's lowered entry points are the functions model.c calls for it", (m) => {
    const c = compile(modelPath(m));
    const called = new Set([...c.generated.source.matchAll(/\b((?:tinyc|arm)_[a-z0-9_]+)\s*\(/g)].map((x) => x[1]));
    const entries = c.graph.nodes.flatMap((n) => c.lowered.ops.get(n.index)!.kernel?.entry ?? []);
    expect(entries.length).toBeGreaterThanOrEqual(c.graph.nodes.filter((n) => c.lowered.ops.get(n.index)!.kernel).length);
    for (const e of entries) expect(called.has(e), e).toBe(true);
    // And every kernel function model.c calls is some op's entry point (helpers of the model file itself aside).
    for (const f of called) if (!f.startsWith(c.generated.names.prefix)) expect(entries, f).toContain(f);
  });

  test("control: preparing the compiled graph again is counted", () => {
    const c = compile(modelPath("person_detect"));
    expect(preparedIndices(() => prepare(c.graph)).length).toBe(c.graph.nodes.length);
  });
});
