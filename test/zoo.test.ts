/**
 * The model zoo: every family's default is VWW-sized, deterministic from its
 * seed, calibrated so that seed 1 uses the int8 range well, survives the .tflite
 * writer, and runs bit-exact in QEMU on Cortex-M4 and M55 (zoo.emu.test.ts,
 * with the float and uint8 interfaces and the fit search, which links firmware
 * when arm-none-eabi-gcc is there).
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { legalize } from "../src/compiler/passes/legalize.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { xorshiftInput } from "../src/inputs.js";
import { buildZoo, FAMILIES } from "../src/zoo/index.js";
import { zooSummary } from "../src/zoo/fit.js";
import { execa } from "execa";
import { zooDefault } from "./generators.js";
import { ROOT } from "./helpers.js";

describe.each(FAMILIES.map((f) => f.name))("zoo %s (default)", (name) => {
  const { g, bytes, path } = zooDefault(name);

  test("is VWW-sized: 2 classes, 96x96, at most about 60 M MACs", () => {
    const out = g.tensors[g.outputs[0]!]!;
    expect(out.shape).toEqual([1, 2]);
    expect(g.tensors[g.inputs[0]!]!.shape).toEqual([1, 96, 96, 3]);
    const { macs, params } = zooSummary(g);
    expect(macs).toBeGreaterThan(1_000_000);
    expect(macs).toBeLessThanOrEqual(60_000_000);
    expect(params).toBeGreaterThan(1000);
  });

  test("is deterministic from its seed, and another seed gives other weights", () => {
    expect(Buffer.compare(Buffer.from(writeTflite(buildZoo(name))), Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare(Buffer.from(writeTflite(buildZoo(name, { seed: 2 }))), Buffer.from(bytes))).not.toBe(0);
  });

  test("uses the int8 range well on seed 1: >= 32 distinct values, <= 2 % clipped, every layer", () => {
    const r = runReference(prepare(legalize(g)), [xorshiftInput(1, 96 * 96 * 3)]);
    g.nodes.forEach((node, i) => {
      const t = g.tensors[node.outputs[0]!]!;
      const q = r.layers[i]!;
      const zp = t.quant!.zeroPoint[0]!;
      const fixedScale = node.kind === "SOFTMAX" || node.kind === "LOGISTIC";
      // Clipped: at the top code, or at the bottom code when that is not real zero.
      const clipped = q.filter((v) => v === 127 || (v === -128 && zp !== -128)).length / q.length;
      if (!fixedScale) expect(clipped, `op ${i} ${node.kind} ${t.name}`).toBeLessThanOrEqual(0.02);
      if (q.length >= 256) expect(new Set(q).size, `op ${i} ${node.kind} ${t.name}`).toBeGreaterThanOrEqual(32);
    });
  });

  test("reads back from .tflite as the same graph", () => {
    const again = readTflite(bytes, path);
    expect(again.nodes).toEqual(g.nodes);
    expect(again.tensors.map((t) => [t.name, t.shape, t.dtype, t.quant])).toEqual(g.tensors.map((t) => [t.name, t.shape, t.dtype, t.quant]));
  });
});

describe("fit search", () => {
  test("bad zoo options are clear errors", async () => {
    const cli = join(ROOT, "dist", "cli", "main.js");
    for (const [args, message] of [
      [["zoo", "resnet", "-o", "x.tflite"], /TC121.*unknown model family 'resnet'; families: mobilenet-v1/],
      [["zoo", "isometric", "--resolution", "100", "-o", "x.tflite"], /TC121.*--resolution must be a multiple of 32/],
      [["zoo", "isometric", "--depth", "0", "-o", "x.tflite"], /TC121.*--depth must be a positive integer/],
    ] as const) {
      const r = await execa("node", [cli, ...args], { reject: false });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
