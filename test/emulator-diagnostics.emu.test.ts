/**
 * What the emulator path tells a user when something is wrong: the first op
 * whose output differs (a corrupted requantization table), a model too big for
 * the part (link failure), firmware that never finishes (timeout); an input
 * of the wrong size: emulator-diagnostics.test.ts.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { formatRun } from "../src/cli/format.js";
import type { Graph, Tensor } from "../src/compiler/ir.js";
import { runCompiled } from "../src/run.js";
import { modelPath, needsEmulator, tinycError } from "./helpers.js";

/** A 1x1 convolution on a 96x96x32 input: its activations alone exceed the nRF52840's 256 KiB of RAM. */
function oversizedGraph(): Graph {
  const q = (scale: number, zeroPoint = 0) => ({ scale: [scale], zeroPoint: [zeroPoint], axis: 0 });
  const weights = new Uint8Array(8 * 32).map((_, i) => (i * 37) & 0x7f);
  const tensors: Tensor[] = [
    { id: 0, name: "input", shape: [1, 96, 96, 32], dtype: "int8", quant: q(0.05, -3) },
    { id: 1, name: "filter", shape: [8, 1, 1, 32], dtype: "int8", quant: q(0.01), data: weights },
    { id: 2, name: "output", shape: [1, 96, 96, 8], dtype: "int8", quant: q(0.1, 2) },
  ];
  return {
    name: "oversized", source: "oversized (built in test)", sha256: "0".repeat(64), tensors, inputs: [0], outputs: [2],
    nodes: [{ index: 0, kind: "CONV_2D", inputs: [0, 1, -1], outputs: [2], options: { padding: "SAME", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "RELU" } }],
  };
}

describe("emulator diagnostics", () => {
  test("--layers names the op whose requantization table was corrupted", async (ctx) => {
    needsEmulator(ctx);
    const corrupt = (src: string) => src.replace(/(static const int32_t op5_multiplier\[\d+\] TINYC_ALIGNED\(4\) TINYC_WEIGHTS_PLACE = \{\n\s*)(\d+)/, (_m, head: string, v: string) => `${head}${Number(v) - 12345678}`);
    // Unstreamed, every op's output is whole: the corrupted op itself is named.
    const c = compile(modelPath("person_detect"), { target: "cortex-m4", backend: "portable", disable: ["stream"] });
    expect(corrupt(c.generated.source)).not.toBe(c.generated.source);
    const r = await runCompiled(c, { patchSource: corrupt });
    expect(r.firstMismatchOp).toBe(5);
    expect(r.layers.slice(0, 5).every((l) => l.matches)).toBe(true);
    expect(r.layers[5]!.matches).toBe(false);
    expect(formatRun(r, true)).toMatch(/first differing op\s+5 \(DEPTHWISE_CONV_2D\)/);
    // Streamed (op 5 inside a segment, writing a ring), its rows are hashed as they are written: op 5 is named too.
    const s = compile(modelPath("person_detect"), { target: "cortex-m4", backend: "portable" });
    const seg = s.plan.segments.find((g) => g.ops.includes(5))!;
    expect(seg.ops.at(-1)).toBeGreaterThan(5);
    const streamed = await runCompiled(s, { patchSource: corrupt });
    expect(streamed.firstMismatchOp).toBe(5);
    expect(streamed.layers.find((l) => l.op === 5)).toMatchObject({ kernel: "portable (streamed)", matches: false });
    expect(formatRun(streamed, false)).toMatch(/first differing op\s+5 \(DEPTHWISE_CONV_2D\)/);
  });

  test("a model over the nRF52840's RAM fails to link with a clear message", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(oversizedGraph(), { target: "nrf52840" });
    expect(c.plan.arenaBytes).toBeGreaterThan(262144);
    const e = await tinycError(runCompiled(c));
    expect(e.code).toBe("TC141");
    expect(e.message).toMatch(/oversized does not fit nRF52840 .*overflows RAM by \d+ bytes \(the part has 262144 bytes\)/);
    // The same model links on a part with enough RAM.
    const ok = await runCompiled(compile(oversizedGraph(), { target: "cortex-m55" }));
    expect(ok.matches).toBe(true);
  });

  test("firmware that never finishes is stopped with a timeout message", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(modelPath("person_detect"), { target: "cortex-m4" });
    const hang = (src: string) => src.replace(/(int tinyc_person_detect_invoke\(void\) \{\n)/, "$1    for (;;) {\n    }\n");
    const e = await tinycError(runCompiled(c, { patchSource: hang, timeoutMs: 3000 }));
    expect(e.code).toBe("TC143");
    expect(e.message).toMatch(/did not finish within 3 s in QEMU \(mps2-an386\): it hangs or loops forever/);
  });

  test("firmware that faults is reported as a crash", async (ctx) => {
    needsEmulator(ctx);
    const c = compile(modelPath("person_detect"), { target: "cortex-m4" });
    const fault = (src: string) => src.replace(/(int tinyc_person_detect_invoke\(void\) \{\n)/, "$1    *(volatile int *)0xF0000000u = 1;\n");
    const e = await tinycError(runCompiled(c, { patchSource: fault, timeoutMs: 20000 }));
    expect(e.code).toBe("TC144");
    expect(e.message).toMatch(/the firmware crashed in QEMU with a (BusFault|HardFault)/);
  });

});
