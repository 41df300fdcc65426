/**
 * Seeded fuzzing of the model parsers and every later stage: about 1,000
 * mutants of the shared models and of writer-made models (bytes flipped,
 * int32 fields overwritten, files truncated, mostly outside the weight
 * buffers, where the structure is). Each compile ends in success or a coded
 * TinycError, never another exception or a hang. Mutants of small models that
 * tinyc still accepts are built for the host with AddressSanitizer and
 * UndefinedBehaviorSanitizer and run: no report, and bytes equal to the
 * reference.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { CODES, TinycError } from "../src/diagnostics.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { FlatFile } from "../src/compiler/tflite/flat.js";
import * as fb from "../src/compiler/tflite/schema.js";
import { CONV_GENERATORS, ELEMENTWISE_GENERATORS } from "./generators.js";
import { generateCases, inputFor, Random, runOnHost, type HostCase } from "./host-kernels.js";
import { MODEL_NAMES, modelPath } from "./helpers.js";

/** Byte ranges of the weight buffers, which mutations mostly avoid (flipping weights only changes numbers). */
function bufferRanges(bytes: Uint8Array): [number, number][] {
  const root = new FlatFile(bytes).root();
  return root.tables(fb.Model.buffers, "buffers").flatMap((b) => {
    const d = b.bytes(fb.Buffer.data, "data");
    return d && d.length > 0 ? [[d.byteOffset - bytes.byteOffset, d.byteOffset - bytes.byteOffset + d.length] as [number, number]] : [];
  });
}

function mutate(r: Random, original: Uint8Array, weights: readonly [number, number][]): Uint8Array {
  const m = new Uint8Array(original);
  const structural = () => {
    for (let tries = 0; tries < 20; tries++) {
      const at = r.int(0, m.length - 1);
      if (r.next() < 0.1 || !weights.some(([a, b]) => at >= a && at < b)) return at;
    }
    return r.int(0, m.length - 1);
  };
  switch (r.int(0, 3)) {
    case 0: // a few random bytes
      for (let k = r.int(1, 8); k > 0; k--) m[structural()] = r.int(0, 255);
      return m;
    case 1: { // an int32 field (offsets, counts, dimensions) set to something extreme
      const at = structural() & ~3;
      new DataView(m.buffer).setInt32(Math.min(at, m.length - 4), r.pick([0, -1, 1, 0x7fffffff, -0x80000000, r.int(-1000, 1000), r.int(0, m.length)]), true);
      return m;
    }
    case 2: // a bit flipped
      m[structural()] ^= 1 << r.int(0, 7);
      return m;
    default: // truncated
      return m.subarray(0, r.int(0, m.length - 1));
  }
}

type Outcome = { kind: "ok" } | { kind: "coded"; code: string } | { kind: "crash"; error: string };

function outcome(bytes: Uint8Array, name: string): Outcome {
  try {
    compile(readTflite(bytes, name), { placement: "greedy" });
    return { kind: "ok" };
  } catch (e) {
    if (e instanceof TinycError && e.diagnostics.length > 0 && e.diagnostics.every((d) => d.code in CODES)) return { kind: "coded", code: e.code };
    return { kind: "crash", error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split("\n").slice(1, 4).join("\n")}` : String(e) };
  }
}

describe("fuzzing", () => {
  const small = Object.entries({ ...CONV_GENERATORS, ...ELEMENTWISE_GENERATORS }).flatMap(([op, gen]) =>
    generateCases(op.length * 7919, 2, gen).map((k) => ({ name: k.graph.name, bytes: writeTflite(k.graph) })));

  test("about 1,000 mutated models: each is compiled or refused with a coded error", () => {
    const r = new Random(20261202);
    const sources = [
      ...MODEL_NAMES.map((m) => ({ name: m, bytes: new Uint8Array(readFileSync(modelPath(m))), mutants: 150 })),
      ...small.map((s) => ({ ...s, mutants: 12 })),
    ];
    const counts = { ok: 0, coded: 0 };
    const crashes: string[] = [];
    for (const s of sources) {
      const weights = bufferRanges(s.bytes);
      for (let i = 0; i < s.mutants; i++) {
        const o = outcome(mutate(r, s.bytes, weights), `${s.name}_mutant${i}.tflite`);
        if (o.kind === "crash") crashes.push(`${s.name} mutant ${i}: ${o.error}`);
        else counts[o.kind]++;
      }
    }
    expect(crashes, "mutants that ended in something other than success or a coded error").toEqual([]);
    const total = counts.ok + counts.coded;
    expect(total).toBeGreaterThan(900);
    // Both outcomes occur: the mutations reach the structure, and many models still compile.
    expect(counts.coded).toBeGreaterThan(total / 10);
    expect(counts.ok).toBeGreaterThan(total / 10);
  });

  test("accepted mutants of small models run clean under AddressSanitizer and UndefinedBehaviorSanitizer, bit-exact", async () => {
    const r = new Random(7);
    const cases: HostCase[] = [];
    for (let i = 0; cases.length < 40 && i < 2000; i++) {
      const s = small[i % small.length]!;
      const bytes = mutate(r, s.bytes, bufferRanges(s.bytes));
      if (outcome(bytes, "m.tflite").kind !== "ok") continue;
      const graph = { ...readTflite(bytes, `fz${cases.length}.tflite`), name: `fz${cases.length}` };
      cases.push({ graph, input: inputFor(r, graph) });
    }
    expect(cases.length).toBe(40);
    const results = await runOnHost(cases, ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"]);
    const wrong = results.filter((x) => Buffer.compare(Buffer.from(x.c), Buffer.from(x.reference)) !== 0).map((x) => x.graph.name);
    expect(wrong).toEqual([]);
  });
});
