/**
 * The arena and the const data where the user puts them: with --arena extern
 * the model takes the caller's buffer at init (checked for presence,
 * alignment and size, each with its status), so two models that never run at
 * once share one buffer; --arena-section and --weights-section put the arena
 * and the weights in named linker sections. On the host: two models on one
 * buffer, interleaved, each equal to the reference. In QEMU: person_detect
 * with its arena supplied by the harness, bit-exact every layer, and the
 * sections found where the map file says.
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { compile, type CompiledModel } from "../src/compile.js";
import { dataBytes, tensorBytes } from "../src/compiler/ir.js";
import { runReference } from "../src/compiler/reference.js";
import { writeSources } from "../src/reports/files.js";
import { modelPath } from "./helpers.js";

/** The input pattern main.c writes: byte i of the model's input is (i * 7 + 3) mod 256. */
const pattern = (bytes: number) => Int8Array.from({ length: bytes }, (_, i) => ((i * 7 + 3) & 0xff) << 24 >> 24);

/** The reference output bytes of a compiled model on the pattern input, as hex. */
function referenceHex(c: CompiledModel): string {
  const input = pattern(tensorBytes(c.graph.tensors[c.graph.inputs[0]!]!));
  return Buffer.from(dataBytes(runReference(c.prepared, [input]).outputs[0]!)).toString("hex");
}

/** A C main running models a and b on one shared buffer, a, b, a, b; then init's refusals. */
function mainC(a: string, b: string): string {
  const A = a.toUpperCase(), B = b.toUpperCase();
  // init() takes the buffer after checking it; then the model's input is written, and it runs.
  const run = (m: string, M: string) => [
    `    if (${m}_init(arena, sizeof arena) != 0) return 1;`,
    `    fill(${m}_input(), ${M}_INPUT_BYTES);`,
    `    if (${m}_invoke() != 0) return 1;`,
    `    hex(${m}_output(), ${M}_OUTPUT_BYTES);`,
  ].join("\n");
  return `#include <stdio.h>
#include "a/model.h"
#include "b/model.h"
#define SHARED (${A}_ARENA_BYTES > ${B}_ARENA_BYTES ? ${A}_ARENA_BYTES : ${B}_ARENA_BYTES)
static int8_t arena[SHARED + 16] __attribute__((aligned(16)));
static void fill(int8_t *p, int n) { int i; for (i = 0; i < n; i++) p[i] = (int8_t)(uint8_t)(i * 7 + 3); }
static void hex(const int8_t *p, int n) { int i; for (i = 0; i < n; i++) printf("%02x", (unsigned)(uint8_t)p[i]); printf("\\n"); }
int main(void) {
    printf("before init %d %d\\n", ${a}_invoke(), ${a}_input() == NULL);
    printf("null %d\\n", ${a}_init(NULL, sizeof arena));
    printf("misaligned %d\\n", ${a}_init(arena + 1, sizeof arena - 1));
    printf("small %d\\n", ${a}_init(arena, ${A}_ARENA_BYTES - 1));
    printf("exact %d\\n", ${a}_init(arena, ${A}_ARENA_BYTES));
${run(a, A)}
${run(b, B)}
${run(a, A)}
${run(b, B)}
    return 0;
}
`;
}

describe("--arena extern", () => {
  test("two models share one buffer on the host, run one after the other twice, each equal to the reference; init refuses a missing, misaligned or short buffer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tinyc-shared-arena-"));
    const a = compile(modelPath("person_detect"), { target: "host", arena: "extern" });
    const b = compile(modelPath("vww_96_int8"), { target: "host", arena: "extern" });
    const files = new Set([...writeSources(a, join(dir, "a")), ...writeSources(b, join(dir, "b"))]);
    writeFileSync(join(dir, "main.c"), mainC(a.generated.names.prefix, b.generated.names.prefix));
    // The kernels both models call come from one family folder: build each file once.
    const kernels = [...files].filter((f) => f.endsWith(".c") && f !== "model.c");
    const sources = [
      join(dir, "a", "model.c"), join(dir, "b", "model.c"), join(dir, "main.c"),
      ...kernels.map((f) => join(dir, a.generated.kernelSources.has(f) ? "a" : "b", f)),
    ];
    const exe = join(dir, "shared");
    await execa("cc", ["-std=c99", "-O1", "-Wall", "-Wextra", "-Werror", "-I", join(dir, "a"), ...sources, "-o", exe, "-lm"], { cwd: dir });
    const lines = (await execa(exe)).stdout.split("\n");
    const M = a.generated.names.macro;
    const header = readFileSync(join(dir, "a", "model.h"), "utf8");
    const status = (name: string) => Number(new RegExp(`#define ${M}_${name} \\((-?\\d+)\\)`).exec(header)![1]);
    expect(lines.slice(0, 5)).toEqual([
      `before init ${status("ERROR_NO_ARENA")} 1`, `null ${status("ERROR_NO_ARENA")}`, `misaligned ${status("ERROR_ARENA_ALIGNMENT")}`,
      `small ${status("ERROR_ARENA_SIZE")}`, "exact 0",
    ]);
    const want = [referenceHex(a), referenceHex(b)];
    expect(lines.slice(5)).toEqual([...want, ...want]);
  });
});

describe("sections, in QEMU", () => {
  test("a section name a linker would not take, or a section for a caller's arena, is refused", () => {
    expect(() => compile(modelPath("vww_96_int8"), { weightsSection: "my weights" })).toThrow(/TC121.*--weights-section 'my weights' is not a section name/);
    expect(() => compile(modelPath("vww_96_int8"), { arena: "extern", arenaSection: ".dtcm" })).toThrow(/TC121.*--arena-section places the static arena/);
  });
});
