/**
 * Runs many single-op models through tinyc's C kernels on the host (the
 * portable family unless a case names another; the DSP family's intrinsics
 * run as their exact C emulations): every
 * case is compiled to its own model.c (distinct symbol prefixes), one main.c
 * feeds each its input and prints its output, and gcc builds them all in one
 * program. Compared with the TypeScript reference, bit for bit.
 */
import { execa } from "execa";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type CompiledModel } from "../src/compile.js";
import type { Backend } from "../src/kernels/registry.js";
import { tensorOf } from "../src/compiler/ops/common.js";
import { MEMORY_OPTIONS } from "../src/memory_options.js";
import { CWriter } from "../src/kernels/cwriter.js";
import type { DType, Graph, Node, Quantization, Tensor, TensorData } from "../src/compiler/ir.js";
import { dataBytes, elementCount, tensorBytes } from "../src/compiler/ir.js";
import { legalize } from "../src/compiler/passes/legalize.js";
import { qemuArgs } from "../src/emulator/qemu.js";
import { requireToolchain } from "../src/emulator/toolchain.js";
import { firmwareDir } from "../src/emulator/firmware.js";
import { emulated, loadTarget } from "../src/targets.js";
import { prepare } from "../src/compiler/passes/prepare.js";
import { runReference } from "../src/compiler/reference.js";

export interface HostCase {
  readonly graph: Graph;
  readonly input: TensorData;
  /**
   * Place the output at exactly the op's overlap margin from its input (d =
   * output − input offset, unaligned): `forward`, or `reverse` with the kernel
   * run in reverse. Otherwise the planner places both.
   */
  readonly relocate?: "forward" | "reverse";
  /** Bytes to move the output past the margin, into the unsafe side (a control that must fail). */
  readonly nudge?: number;
  /** The kernel family (default portable). */
  readonly backend?: Backend;
  /** Rewrites the generated model.c (a control that breaks what the compiler planned). */
  readonly edit?: (source: string, c: CompiledModel) => string;
  /** Compile with --stream-input: the case's callback hands over the input's rows, checking they are asked for once each, in order. */
  readonly streamInput?: boolean;
}

/** The margin a single-op case's kernel declares for a direction, clipped to offsets where the two buffers meet; undefined when they cannot. */
export function marginFor(c: CompiledModel, direction: "forward" | "reverse"): number | undefined {
  const node = c.graph.nodes[0]!;
  const cap = c.lowered.ops.get(node.index)!.overlap[0];
  if (!cap || cap.input !== 0 || c.graph.inputs[0] !== node.inputs[0]) return undefined;
  const inBytes = tensorBytes(tensorOf(c.graph, node.inputs[0]!)), outBytes = tensorBytes(tensorOf(c.graph, node.outputs[0]!));
  const d = direction === "forward" ? Math.min(cap.forward, inBytes - 1) : cap.backward === undefined ? undefined : Math.max(cap.backward, 1 - outBytes);
  return d === undefined || d <= -outBytes || d >= inBytes ? undefined : d;
}

/**
 * Rewrites a single-op model's C (compiled with whole buffers) so that its
 * output starts d bytes after its input, where d is the kernel's margin.
 */
export function relocate(c: CompiledModel, direction: "forward" | "reverse", nudge = 0): { source: string; header: string } {
  const margin = marginFor(c, direction);
  if (margin === undefined) throw new Error(`${c.graph.name}: no ${direction} overlap to test`);
  const d = direction === "forward" ? margin + nudge : margin - nudge;
  const node = c.graph.nodes[0]!;
  const [inId, outId] = [node.inputs[0]!, node.outputs[0]!];
  const inOff = Math.max(0, -d), outOff = Math.max(0, d);
  // The kernel's scratch (if any) goes after both, 16-byte aligned.
  const scratch = c.plan.scratch.get(node.index);
  const scratchOff = Math.ceil(Math.max(inOff + tensorBytes(tensorOf(c.graph, inId)), outOff + tensorBytes(tensorOf(c.graph, outId))) / 16) * 16;
  const arena = scratchOff + (scratch?.bytes ?? 0);
  const moved = new Map([[c.plan.tensorOffsets.get(inId)!, inOff], [c.plan.tensorOffsets.get(outId)!, outOff]]);
  if (scratch) moved.set(scratch.offset, scratchOff);
  const arenaSym = `${c.generated.names.arena}`;
  const source = c.generated.source
    .replace(new RegExp(`\\(${arenaSym} \\+ (\\d+)\\)`, "g"), (all, off: string) => (moved.has(Number(off)) ? `(${arenaSym} + ${moved.get(Number(off))})` : all))
    .replace(/\.reverse = 0,/g, `.reverse = ${direction === "reverse" ? 1 : 0},`);
  const header = c.generated.header.replace(/(_ARENA_BYTES) \d+/, `$1 ${arena}`);
  return { source, header };
}

export interface HostResult {
  readonly graph: Graph;
  /** Output bytes from C and from the reference. */
  readonly c: Uint8Array;
  readonly reference: Uint8Array;
}

/** Every case's model.c in one translation unit (distinct symbol prefixes), and a main.c that runs each and prints its output in hex. */
function assemble(cases: readonly HostCase[], dir: string, target: string): { kernels: Map<string, string>; references: Uint8Array[] } {
  const main = new CWriter().line("#include <stdint.h>").line("#include <string.h>").line('#include "out.h"');
  const sources: string[] = [];
  const kernels = new Map<string, string>();
  const references: Uint8Array[] = [];
  cases.forEach((k, i) => {
    const c = compile(k.graph, { target, backend: k.backend ?? "portable", disable: k.relocate ? MEMORY_OPTIONS : [], streamInput: k.streamInput });
    references.push(Buffer.concat(runReference(c.prepared, [k.input]).outputs.map((o) => dataBytes(o))));
    const generated = k.relocate ? relocate(c, k.relocate, k.nudge) : c.generated;
    // One translation unit for all cases (gcc starts once): file-local symbols get a per-case prefix.
    sources.push((k.edit ? k.edit(generated.source, c) : generated.source)
      .replace('#include "model.h"', `#include "case${i}.h"`)
      .replace(/\b(op\d+_[a-z0-9_]+|w\d+_[a-z0-9_]*)\b/g, `k${i}_$1`));
    writeFileSync(join(dir, `case${i}.h`), generated.header);
    c.generated.kernelSources.forEach((path, name) => kernels.set(name, path));
    const n = c.generated.names;
    main.line(`#include "case${i}.h"`);
    const bytes = dataBytes(k.input);
    main.array(`static const uint8_t input${i}[${Math.max(1, bytes.length)}]`, bytes, 32);
    if (k.streamInput) {
      main.line(`static int32_t next_row${i};`);
      main.block(`int ${n.input}0_row(int32_t y, int8_t *row)`, () => {
        main.line(`if (y != next_row${i}) return 1;`);
        main.line(`next_row${i} = y + 1 == ${tensorOf(c.graph, c.graph.inputs[0]!).shape[1]} ? 0 : y + 1;`);
        main.line(`memcpy(row, input${i} + y * ${n.macro}_INPUT0_ROW_BYTES, ${n.macro}_INPUT0_ROW_BYTES);`);
        main.line("return 0;");
      });
    }
    main.block(`static void run${i}(void)`, () => {
      main.line("const uint8_t *out;");
      if (!k.streamInput) main.line(`memcpy((uint8_t *)${n.input}(), input${i}, ${bytes.length});`);
      main.line(`if (${n.invoke}() != 0) { tinyc_out_error(); return; }`);
      k.graph.outputs.forEach((_, o) => {
        main.line(`out = (const uint8_t *)${n.output}${o}();`);
        main.line(`tinyc_out_hex(out, ${n.macro}_OUTPUT${o}_BYTES);`);
      });
      main.line("tinyc_out_end();");
    });
  });
  main.block("int main(void)", () => {
    cases.forEach((_, i) => main.line(`run${i}();`));
    main.line("tinyc_out_done();");
    main.line("return 0;");
  });
  writeFileSync(join(dir, "main.c"), sources.join("\n") + main.toString());
  for (const [name, path] of kernels) writeFileSync(join(dir, name), readFileSync(path));
  return { kernels, references };
}

/** out.h for the host: stdout. */
const HOST_OUT = `#include <stdio.h>
static void tinyc_out_hex(const uint8_t *p, int n) { int j; for (j = 0; j < n; j++) printf("%02x", (unsigned)p[j]); }
static void tinyc_out_end(void) { printf("\\n"); }
static void tinyc_out_error(void) { printf("ERROR\\n"); }
static void tinyc_out_done(void) { }
`;

/** out.h for the emulator: lines through semihosting, buffered. */
const QEMU_OUT = `#include "harness.h"
static char tinyc_line[4096];
static int tinyc_used;
static void tinyc_flush(void) { tinyc_line[tinyc_used] = 0; tinyc_print(tinyc_line); tinyc_used = 0; }
static void tinyc_put(char ch) { if (tinyc_used == (int)sizeof tinyc_line - 1) tinyc_flush(); tinyc_line[tinyc_used++] = ch; }
static void tinyc_out_hex(const uint8_t *p, int n) { int j; for (j = 0; j < n; j++) { tinyc_put("0123456789abcdef"[p[j] >> 4]); tinyc_put("0123456789abcdef"[p[j] & 15]); } }
static void tinyc_out_end(void) { tinyc_put('\\n'); }
static void tinyc_out_error(void) { tinyc_put('E'); tinyc_put('\\n'); }
static void tinyc_out_done(void) { tinyc_flush(); tinyc_print("TINYC END\\n"); }
`;

function results(cases: readonly HostCase[], references: readonly Uint8Array[], stdout: string): HostResult[] {
  const lines = stdout.replace(/TINYC END[\s\S]*$/, "").trim().split("\n");
  return cases.map((k, i) => ({ graph: k.graph, c: new Uint8Array(Buffer.from(lines[i] ?? "", "hex")), reference: references[i]! }));
}

/** Builds every case into one host program (gcc -O0 -Werror, plus `cflags`), runs it, and returns C's and the reference's output. */
export async function runOnHost(cases: readonly HostCase[], cflags: readonly string[] = []): Promise<HostResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "tinyc-host-"));
  writeFileSync(join(dir, "out.h"), HOST_OUT);
  const { kernels, references } = assemble(cases, dir, "cortex-m4");
  const exe = join(dir, "cases");
  const cc = await execa("gcc", ["-std=c99", "-O0", "-Wall", "-Wextra", "-Werror", ...cflags, "-I", dir, "-o", exe, join(dir, "main.c"),
    ...[...kernels.keys()].filter((f) => f.endsWith(".c")).map((f) => join(dir, f))], { reject: false, all: true });
  if (cc.exitCode !== 0) throw new Error(`host build failed:\n${cc.all?.slice(0, 4000)}`);
  return results(cases, references, (await execa(exe, { maxBuffer: 1 << 28 })).stdout);
}

/**
 * Builds every case into one firmware image for an emulated target (its
 * compiler flags, -O2, the kernels' real instructions; linked for the whole of
 * the machine's mapped memory, not the part), runs it in QEMU once, and
 * returns C's and the reference's output.
 */
export async function runInQemu(cases: readonly HostCase[], targetName: string): Promise<HostResult[]> {
  const t = emulated(loadTarget(targetName), "a batch of cases");
  const { gcc, qemu } = requireToolchain();
  const dir = mkdtempSync(join(tmpdir(), "tinyc-qemu-"));
  writeFileSync(join(dir, "out.h"), QEMU_OUT);
  for (const f of ["startup.c", "harness.h"]) writeFileSync(join(dir, f), readFileSync(join(firmwareDir(), f)));
  writeFileSync(join(dir, "link.ld"), readFileSync(join(firmwareDir(), "link.ld"), "utf8")
    .replace("{{FLASH_ORIGIN}}", `0x${t.memory.flashOrigin.toString(16)}`).replace("{{FLASH_BYTES}}", String(t.memory.flashMapped))
    .replace("{{RAM_ORIGIN}}", `0x${t.memory.ramOrigin.toString(16)}`).replace("{{RAM_BYTES}}", String(t.memory.ramMapped))
    .replace("{{STACK_BYTES}}", "8192"));
  const { kernels, references } = assemble(cases, dir, targetName);
  const elf = join(dir, "cases.elf");
  const units = ["main.c", "startup.c", ...[...kernels.keys()].filter((f) => f.endsWith(".c"))].map((f) => join(dir, f));
  const cc = await execa(gcc, [...t.cflags, "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections", "-I", dir,
    "-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections", "-T", join(dir, "link.ld"), "-o", elf, ...units, "-lc", "-lgcc"], { reject: false, all: true });
  if (cc.exitCode !== 0) throw new Error(`firmware build failed:\n${cc.all?.slice(0, 4000)}`);
  const r = await execa(qemu, qemuArgs(t, elf), { reject: false, timeout: 600_000, all: true, stdin: "ignore", maxBuffer: 1 << 28 });
  if (!r.all?.includes("TINYC END")) throw new Error(`QEMU did not finish the batch (exit ${r.exitCode}): ${r.all?.slice(-400)}`);
  return results(cases, references, r.all);
}

/** Deterministic random numbers for case generators (xorshift32). */
export class Random {
  private x: number;
  constructor(seed: number) {
    this.x = seed >>> 0 || 1;
  }
  next(): number {
    this.x ^= this.x << 13; this.x >>>= 0;
    this.x ^= this.x >>> 17;
    this.x ^= this.x << 5; this.x >>>= 0;
    return this.x / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** A float32 scale spread over several powers of two. */
  scale(lo: number, hi: number): number {
    return Math.fround(2 ** (Math.log2(lo) + this.next() * (Math.log2(hi) - Math.log2(lo))));
  }
  /** Zero points that include both extremes. */
  zeroPoint(): number {
    return this.pick([-128, 127, 0, this.int(-128, 127), this.int(-128, 127)]);
  }
  int8s(n: number): Int8Array {
    return Int8Array.from({ length: n }, () => this.int(-128, 127));
  }
  int32s(n: number, mag: number): Int32Array {
    return Int32Array.from({ length: n }, () => this.int(-mag, mag));
  }
}

/** Builds a graph of one op: tensor 0 is the graph input; `more` tensors follow. */
export class GraphBuilder {
  readonly tensors: Tensor[] = [];
  add(name: string, shape: number[], dtype: DType, quant?: Quantization, data?: Uint8Array): number {
    const id = this.tensors.length;
    this.tensors.push({ id, name, shape, dtype, quant, data });
    return id;
  }
  activation(name: string, shape: number[], scale: number, zeroPoint: number): number {
    return this.add(name, shape, "int8", { scale: [scale], zeroPoint: [zeroPoint], axis: 0 });
  }
  int8Const(name: string, shape: number[], data: Int8Array, scales: number[], axis: number): number {
    return this.add(name, shape, "int8", { scale: scales, zeroPoint: scales.map(() => 0), axis }, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  int32Const(name: string, data: Int32Array, scale: number): number {
    const bytes = new Uint8Array(data.length * 4);
    new DataView(bytes.buffer).setInt32(0, 0);
    data.forEach((v, i) => new DataView(bytes.buffer).setInt32(4 * i, v, true));
    return this.add(name, [data.length], "int32", { scale: [Math.fround(scale)], zeroPoint: [0], axis: 0 }, bytes);
  }
  /** The graph, legalized unless `check` is false (for a caller that still fills in constants). */
  graph(name: string, node: Omit<Node, "index">, input: number, output: number | readonly number[], check = true): Graph {
    const g: Graph = {
      name, source: `${name} (generated)`, sha256: "0".repeat(64), tensors: this.tensors,
      nodes: [{ ...node, index: 0 } as Node], inputs: [input], outputs: typeof output === "number" ? [output] : [...output],
    };
    return check ? legalize(g) : g;
  }
}

/** Random input data: int8 (or uint8) values, or for a float input floats across (and beyond) the quantized range. */
export function inputFor(r: Random, g: Graph): TensorData {
  const t = g.tensors[g.inputs[0]!]!;
  const n = elementCount(t.shape);
  if (t.dtype === "uint8") return Uint8Array.from(r.int8s(n), (v) => v & 0xff);
  if (t.dtype === "float32") {
    const special = [0, -0, 0.5, -0.5, 1e30, -1e30, NaN];
    return Float32Array.from({ length: n }, (_, i) => (i < special.length && r.next() < 0.3 ? special[i]! : (r.next() - 0.5) * 2 ** r.int(-6, 8)));
  }
  return r.int8s(n);
}

/** Prepares a graph (so generators can reject cases whose parameters TFLite would refuse). */
export function prepares(g: Graph): boolean {
  try {
    prepare(g);
    return true;
  } catch {
    return false;
  }
}

/** Generates `count` valid cases (a generator returns undefined for a combination it rejects). */
export function generateCases(seed: number, count: number, gen: (r: Random, i: number) => Graph | undefined): HostCase[] {
  const r = new Random(seed);
  const cases: HostCase[] = [];
  while (cases.length < count) {
    const g = gen(r, cases.length);
    if (g) cases.push({ graph: g, input: inputFor(r, g) });
  }
  return cases;
}

/** Names of the cases whose C output differs from the reference: on the host, or in QEMU on an emulated target. */
export async function mismatches(cases: readonly HostCase[], target?: string): Promise<string[]> {
  const results = target ? await runInQemu(cases, target) : await runOnHost(cases);
  return results.filter((x) => Buffer.compare(Buffer.from(x.c), Buffer.from(x.reference)) !== 0).map((x) => x.graph.name);
}
