/**
 * The model zoo (zoo.test.ts) on the Arm toolchain: every family's default runs
 * bit-exact in QEMU on Cortex-M4 and M55, so do the float and uint8
 * interfaces, and the fit search sizes each configuration (linking its
 * firmware when arm-none-eabi-gcc is there).
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";
import { readTflite } from "../src/compiler/tflite/reader.js";
import { writeTflite } from "../src/compiler/tflite/writer.js";
import { xorshiftInput } from "../src/inputs.js";
import { runCompiled } from "../src/run.js";
import { buildZoo, FAMILIES } from "../src/zoo/index.js";
import { formatFit } from "../src/cli/format.js";
import { isometric } from "../src/zoo/families/isometric.js";
import { fitSearch } from "../src/zoo/fit.js";
import { zooDefault } from "./generators.js";
import { needsEmulator } from "./helpers.js";

describe.each(FAMILIES.map((f) => f.name))("zoo %s (default)", (name) => {
  const { path } = zooDefault(name);

  test.for([["cortex-m4", "portable"], ["cortex-m4", "dsp"], ["cortex-m55", "dsp"]] as const)("runs bit-exact in QEMU on %s (%s)", async ([target, backend], ctx) => {
    needsEmulator(ctx);
    const r = await runCompiled(compile(path, { target, backend }));
    expect(r.backend).toBe(backend);
    expect(r.matches).toBe(true);
    expect(r.firstMismatchOp).toBeUndefined();
  });
});

describe("zoo with a float interface", () => {
  test("isometric --float-io: float32 in and out, QUANTIZE/DEQUANTIZE around int8, bit-exact in QEMU", async (ctx) => {
    const g = buildZoo("isometric", { io: "float32", depth: 2 });
    expect(g.tensors[g.inputs[0]!]!.dtype).toBe("float32");
    expect(g.tensors[g.outputs[0]!]!.dtype).toBe("float32");
    expect(g.nodes[0]!.kind).toBe("QUANTIZE");
    expect(g.nodes[g.nodes.length - 1]!.kind).toBe("DEQUANTIZE");
    const c = compile(readTflite(writeTflite(g), `${g.name}.tflite`), { target: "cortex-m4" });
    expect(c.generated.header).toMatch(/float \*tinyc_isometric_\w+_input0\(void\);/);
    needsEmulator(ctx);
    const r = await runCompiled(c);
    expect(r.output).toBeInstanceOf(Float32Array);
    expect(r.matches).toBe(true);
    expect([...r.output].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1); // softmax probabilities
  });
});

describe("zoo with a uint8 interface", () => {
  test("isometric --uint8-io: QUANTIZE from uint8 and to uint8 around int8, bit-exact in QEMU and the int8 model's bytes shifted by 128", async (ctx) => {
    const g = buildZoo("isometric", { io: "uint8", depth: 2 });
    const plain = buildZoo("isometric", { depth: 2 });
    expect([g.tensors[g.inputs[0]!]!.dtype, g.tensors[g.outputs[0]!]!.dtype]).toEqual(["uint8", "uint8"]);
    const c = compile(readTflite(writeTflite(g), `${g.name}.tflite`), { target: "cortex-m4" });
    expect(c.generated.header).toMatch(/uint8_t \*tinyc_isometric_\w+_input0\(void\);/);
    expect(c.generated.header).toMatch(/_INPUT0_ZERO_POINT \(128\)/);
    const x = xorshiftInput(1, 96 * 96 * 3);
    const u = Uint8Array.from(x, (v) => (v + 128) & 0xff);
    const want = runReference(prepare(plain), [x]).outputs[0]!;
    const got = runReference(c.prepared, [u]).outputs[0]!;
    expect([...got]).toEqual([...want].map((v) => v + 128));
    needsEmulator(ctx);
    const r = await runCompiled(c, { input: u });
    expect(r.matches).toBe(true);
    expect(r.output).toBeInstanceOf(Uint8Array);
    expect([...r.output]).toEqual([...got]);
  });
});

describe("fit search", () => {
  test("names the largest configuration that fits, and reports the others", async () => {
    const small = { ...isometric, grid: [{ width: 16, resolution: 96, depth: 2 }, { width: 16, resolution: 96, depth: 4 }, { width: 48, resolution: 128, depth: 2 }] };
    // Without row streaming the widest configuration's arena is over the budget; streamed, it fits.
    const whole = await fitSearch(small, { ram: 150 * 1024, flash: 250 * 1024, target: "cortex-m4", channels: 3, disable: ["stream"] });
    expect(whole.rows.map((x) => x.fits)).toEqual([true, true, false]);
    expect(whole.best?.config).toEqual({ width: 16, resolution: 96, depth: 4 });
    expect(whole.rows[2]!.arenaBytes).toBeGreaterThan(150 * 1024);
    expect(formatFit(whole)).toMatch(/largest that fits: isometric_w16_r96_c3_d4_e3/);
    const streamed = await fitSearch(small, { ram: 150 * 1024, flash: 250 * 1024, target: "cortex-m4", channels: 3 });
    expect(streamed.rows.map((x) => x.fits)).toEqual([true, true, true]);
    expect(streamed.best?.config).toEqual({ width: 48, resolution: 128, depth: 2 });
    expect(streamed.rows[2]!.arenaBytes).toBeLessThan(whole.rows[2]!.arenaBytes / 2);
  });
});
