/**
 * Builds emulator firmware for a compiled model: the generated sources, the
 * harness and startup code (templates/firmware), the input as const data, linked
 * with a linker script whose FLASH and RAM are the target part's sizes, so a
 * model that would not fit the part fails to link (TC141).
 */
import { execa } from "execa";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fail } from "../diagnostics.js";
import type { CompiledModel } from "../compile.js";
import { writeSources } from "../reports/files.js";
import { CWriter } from "../kernels/cwriter.js";
import { inputRowCallback, interfaceTensors } from "../codegen/header.js";
import { tensorBytes } from "../compiler/ir.js";
import { packageRoot } from "../paths.js";
import { parseMap } from "./mapfile.js";
import { fromCache, objectKey, toCache } from "./objcache.js";
import { requireCompiler, which } from "./toolchain.js";
import { emulated, type EmulatedTarget } from "../targets.js";
import { streamedInputs } from "../memplan/segments.js";

export const STACK_BYTES = 8192;

export interface FirmwareSizes {
  /** Flash of the model's own code and data: model.o plus the kernels it calls. */
  readonly modelFlashBytes: number;
  /** Flash of the whole firmware image, harness and C library included. */
  readonly firmwareFlashBytes: number;
  /** Static RAM of model.o and the kernels besides the arena. */
  readonly otherStaticRamBytes: number;
}

export interface Firmware {
  readonly elf: string;
  readonly dir: string;
  readonly sizes: FirmwareSizes;
}

export function firmwareDir(): string {
  return join(packageRoot(), "templates", "firmware");
}

async function cc(gcc: string, args: string[], cwd: string): Promise<void> {
  // A compile (-c source -o object) of content already compiled the same way reuses that object.
  const c = args.indexOf("-c"), o = args.indexOf("-o");
  const key = c >= 0 && o >= 0 ? objectKey(gcc, args.filter((_, i) => i !== o && i !== o + 1), args[c + 1]!) : undefined;
  if (key && fromCache(key, args[o + 1]!)) return;
  const r = await execa(gcc, args, { cwd, reject: false, all: true });
  if (r.exitCode === 0 && key) toCache(key, args[o + 1]!);
  if (r.exitCode !== 0) fail("TC142", "compiler", { tool: basename(gcc), log: r.all });
}

/** The generated sources, the harness (with `services`: startup.c or host_services.c) and input.c in dir/src; the files written. */
function harnessSources(c: CompiledModel, input: Int8Array, dir: string, services: string): { src: string; written: string[] } {
  const src = join(dir, "src");
  mkdirSync(src, { recursive: true });
  const written = writeSources(c, src);
  for (const f of [services, "harness.c", "harness.h"]) writeFileSync(join(src, f), readFileSync(join(firmwareDir(), f)));
  writeFileSync(join(src, "input.c"), ioTables(c, input));
  return { src, written };
}

/** Every unit's flags: the host's build (-O2, -Werror), or the target's CPU flags with sections for --gc-sections; `src` holds the sources. */
function baseFlags(c: CompiledModel, src: string): string[] {
  if (c.target.host) return ["-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", src];
  return [...c.target.cflags, "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections", "-I", src];
}

/** The include folders of the families built from outside tinyc (CMSIS-NN), as -I flags. */
function familyIncludes(c: CompiledModel): string[] {
  return c.families.flatMap((f) => (f.setup ? f.setup.includeDirs().flatMap((d) => ["-I", d]) : []));
}

/** The model's own compile flags: the layer hooks and the families' include folders. */
function modelFlagsOf(c: CompiledModel, extra: readonly string[]): string[] {
  return [`-DTINYC_LAYER_HOOK=tinyc_layer_hook`, `-DTINYC_LAYER_HOOK_ROWS=tinyc_layer_hook_rows`, "-include", "harness.h", ...familyIncludes(c), ...extra];
}

const harnessFlagsOf = (c: CompiledModel) => {
  const n = c.generated.names;
  const external = c.generated.arena === "extern" ? [`-DTINYC_MODEL_INIT=${n.init}`, `-DTINYC_MODEL_ARENA_BYTES=${n.macro}_ARENA_BYTES`, `-DTINYC_MODEL_ARENA_ALIGN=${n.macro}_ARENA_ALIGN`] : [];
  return [`-DTINYC_MODEL_INVOKE=${n.invoke}`, `-DTINYC_MODEL_OPS=${n.macro}_OPS`, ...external];
};

/**
 * `--target host`: the same harness built with the host's C compiler (-O2,
 * -Werror) and run natively; tinyc's portable kernels only (a family built
 * from outside tinyc, CMSIS-NN, targets Arm cores).
 */
export async function buildHostProgram(c: CompiledModel, input: Int8Array, dir: string, extraModelFlags: readonly string[] = []): Promise<string> {
  const host = which("cc") ?? which("gcc");
  if (!host) fail("TC140", "hostCompiler", {});
  if (c.families.some((f) => f.setup)) fail("TC121", "hostBackend", { backend: c.backend });
  const { src, written } = harnessSources(c, input, dir, "host_services.c");
  const base = baseFlags(c, src);
  const objDir = join(dir, "obj");
  mkdirSync(objDir, { recursive: true });
  const units: [string, string[]][] = [
    ["model.c", modelFlagsOf(c, extraModelFlags)],
    ...written.filter((f) => f.endsWith(".c") && f !== "model.c").map((f): [string, string[]] => [f, []]),
    ["host_services.c", []], ["harness.c", harnessFlagsOf(c)], ["input.c", []],
  ];
  for (let i = 0; i < units.length; i += 2) {
    await Promise.all(units.slice(i, i + 2).map(([f, flags]) => cc(host, [...base, ...flags, "-c", join(src, f), "-o", join(objDir, f.replace(/\.c$/, ".o"))], dir)));
  }
  const exe = join(dir, "model-host");
  await cc(host, ["-o", exe, ...units.map(([f]) => join(objDir, f.replace(/\.c$/, ".o")))], dir);
  return exe;
}

export async function buildFirmware(c: CompiledModel, input: Int8Array, dir: string, extraModelFlags: readonly string[] = []): Promise<Firmware> {
  const { gcc } = requireCompiler();
  const t = emulated(c.target, "building firmware");
  const { src, written } = harnessSources(c, input, dir, "startup.c");
  writeLinkScript(t, dir);

  const base = baseFlags(c, src);
  const setups = c.families.flatMap((f) => (f.setup ? [f.setup] : []));
  const modelFlags = modelFlagsOf(c, extraModelFlags);
  const harnessFlags = harnessFlagsOf(c);
  const objDir = join(dir, "obj");
  mkdirSync(objDir, { recursive: true });
  const units: [string, string[]][] = [
    ["model.c", modelFlags],
    ...written.filter((f) => f.endsWith(".c") && f !== "model.c").map((f): [string, string[]] => [f, []]),
    ["startup.c", []],
    ["harness.c", harnessFlags],
    ["input.c", []],
  ];
  // Two at a time: the machine has two cores.
  for (let i = 0; i < units.length; i += 2) {
    await Promise.all(units.slice(i, i + 2).map(([f, flags]) =>
      cc(gcc, [...base, ...flags, "-c", join(src, f), "-o", join(objDir, f.replace(/\.c$/, ".o"))], dir)));
  }
  const objects = units.map(([f]) => join(objDir, f.replace(/\.c$/, ".o")));
  const libs: string[] = [];
  for (const s of setups) libs.push(...(await s.libraries(t, gcc)));
  const elf = join(dir, "firmware.elf");
  const map = join(dir, "firmware.map");
  const link = await execa(gcc, [
    ...t.cflags, "-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections", `-Wl,-Map=${map}`, "-T", join(dir, "link.ld"),
    "-o", elf, ...objects, ...libs, "-lc", "-lgcc",
  ], { cwd: dir, reject: false, all: true });
  if (link.exitCode !== 0) explainLinkFailure(c, link.all ?? "");

  const use = parseMap(readFileSync(map, "utf8"));
  let modelFlash = 0, otherRam = 0, total = 0;
  const modelObjects = new Set(objects.filter((o) => !/(startup|harness|input)\.o$/.test(o)));
  for (const [obj, u] of use) {
    total += u.flash;
    if (modelObjects.has(obj) || libs.some((l) => obj.startsWith(l))) {
      modelFlash += u.flash;
      otherRam += u.ram;
    }
  }
  return { elf, dir, sizes: { modelFlashBytes: modelFlash, firmwareFlashBytes: total, otherStaticRamBytes: Math.max(0, otherRam - c.plan.arenaBytes) } };
}

/** dir/link.ld: the emulator firmware's link script with the part's flash and RAM. */
function writeLinkScript(t: EmulatedTarget, dir: string): void {
  writeFileSync(join(dir, "link.ld"), readFileSync(join(firmwareDir(), "link.ld"), "utf8")
    .replace("{{FLASH_ORIGIN}}", `0x${t.memory.flashOrigin.toString(16)}`)
    .replace("{{FLASH_BYTES}}", String(t.part.flashBytes))
    .replace("{{RAM_ORIGIN}}", `0x${t.memory.ramOrigin.toString(16)}`)
    .replace("{{RAM_BYTES}}", String(t.part.ramBytes))
    .replace("{{STACK_BYTES}}", String(STACK_BYTES)));
}

/** buildBareFirmware's compile flags besides the target's CPU flags: the firmware's own (-O2, -Werror). */
export const BARE_CFLAGS: readonly string[] = ["-O2", "-std=c99", "-Wall", "-Wextra", "-Werror"];

/**
 * Firmware from the emulator's startup code (semihosting, SysTick, faults)
 * and the given sources (C or assembly; one defines main()), linked for the
 * target's part into dir/firmware.elf. For programs that are not a model: the
 * cycle model's timing tests, and the cycle model's validation (CoreMark, with
 * its own optimisation flags in `cflags`; the target's CPU flags always come first).
 */
export async function buildBareFirmware(t: EmulatedTarget, sources: readonly string[], dir: string, cflags: readonly string[] = BARE_CFLAGS): Promise<string> {
  const { gcc } = requireCompiler();
  writeLinkScript(t, dir);
  for (const f of ["startup.c", "harness.h"]) writeFileSync(join(dir, f), readFileSync(join(firmwareDir(), f)));
  const elf = join(dir, "firmware.elf");
  const r = await execa(gcc, [
    ...t.cflags, ...cflags, "-I", dir, "-nostartfiles", "--specs=nano.specs",
    "-T", join(dir, "link.ld"), "-o", elf, join(dir, "startup.c"), ...sources, "-lc", "-lgcc",
  ], { cwd: dir, reject: false, all: true });
  if (r.exitCode !== 0) fail("TC142", "link", { log: r.all });
  return elf;
}

/** input.c: the inputs' bytes (concatenated in input order) and the tables of the model's inputs and outputs the harness walks. */
function ioTables(c: CompiledModel, input: Int8Array): string {
  const n = c.generated.names;
  const w = new CWriter().line("#include <stdint.h>").line("#include <string.h>").line('#include "harness.h"').line('#include "model.h"').line();
  w.array(`const int8_t tinyc_input_data[${Math.max(1, input.length)}]`, input, 32).line();
  const ios = interfaceTensors(c.graph);
  const streamed = streamedInputs(c.plan.segments);
  let at = 0;
  for (const io of ios) {
    if (!streamed.has(io.tensor.id)) {
      w.line(`static uint8_t *${io.role}${io.index}(void) { return (uint8_t *)${io.accessor(n)}(); }`);
    } else {
      // A streamed input: the harness leaves it alone (no address); the model asks for its rows, which come from the input file's bytes.
      // The callback holds model.h's promise to account: rows 0 .. H-1 in order, each once per invoke, else it stops invoke().
      const P = io.macro(n), H = io.tensor.shape[1]!;
      w.line(`static uint8_t *${io.role}${io.index}(void) { return 0; }`);
      w.block(`int ${inputRowCallback(io, n)}(int32_t y, int8_t *row)`, () => {
        w.line("static int32_t next = 0;");
        w.line(`if (y != next) return 1;`);
        w.line(`next = y + 1 == ${H} ? 0 : y + 1;`);
        w.line(`memcpy(row, &tinyc_input_data[${at} + (uint32_t)y * ${P}_ROW_BYTES], ${P}_ROW_BYTES);`);
        w.line("return 0;");
      });
    }
    if (io.role === "input") at += tensorBytes(io.tensor);
  }
  for (const role of ["input", "output"] as const) {
    const mine = ios.filter((io) => io.role === role);
    w.line(`const tinyc_io tinyc_model_${role}s[${mine.length}] = { ${mine.map((io) => `{ ${role}${io.index}, ${io.macro(n)}_BYTES }`).join(", ")} };`);
    w.line(`const uint32_t tinyc_model_${role}_count = ${mine.length};`);
  }
  return w.toString();
}

function explainLinkFailure(c: CompiledModel, log: string): never {
  // The regions the linker says overflow, each once: the link script has two, FLASH and RAM.
  const over = new Map([...log.matchAll(/region `(\w+)' overflowed by (\d+) bytes/g)].map(([, region, bytes]) => [region!, bytes!]));
  if (over.size > 0) {
    const part = emulated(c.target, "linking firmware").part;
    const [first, second] = [...over].map(([region, bytes]) => ({ region, bytes, size: region === "RAM" ? part.ramBytes : part.flashBytes }));
    const one = { model: c.graph.name, part: part.name, region: first!.region, bytes: first!.bytes, size: first!.size, arena: c.plan.arenaBytes };
    if (second) fail("TC141", "overflowBoth", { ...one, region2: second.region, bytes2: second.bytes, size2: second.size }, { file: c.modelPath });
    fail("TC141", "overflow", one, { file: c.modelPath });
  }
  fail("TC142", "link", { log }, { file: c.modelPath });
}

/**
 * The size of every symbol model.c defines, compiled alone as the target's
 * compiler builds it (arm-none-eabi-gcc with the target's flags, or the host
 * cc for --target host), read with nm; undefined when that compiler is absent.
 */
export async function modelSymbolSizes(c: CompiledModel): Promise<Map<string, number> | undefined> {
  const gcc = c.target.host ? which("cc") ?? which("gcc") : which("arm-none-eabi-gcc");
  const nm = c.target.host ? which("nm") : which("arm-none-eabi-nm");
  if (!gcc || !nm) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "tinyc-symbols-"));
  try {
    writeSources(c, dir);
    // As the firmware compiles it, less the emulator's layer hooks.
    await cc(gcc, [...baseFlags(c, dir), ...familyIncludes(c), "-c", join(dir, "model.c"), "-o", join(dir, "model.o")], dir);
    const out = (await execa(nm, ["-S", "--defined-only", join(dir, "model.o")])).stdout;
    const sizes = new Map<string, number>();
    for (const m of out.matchAll(/^[0-9a-f]+ ([0-9a-f]+) [rRdDbB] (\S+)$/gm)) sizes.set(m[2]!, Number.parseInt(m[1]!, 16));
    return sizes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
