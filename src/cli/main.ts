#!/usr/bin/env node
/** The tinyc command line: a thin layer that parses, calls the library, prints. */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { writeFile } from "../files.js";
import { checkBudget, parseBytes } from "../budget.js";
import { compile, type CompileOptions, type CompiledModel } from "../compile.js";
import { writeSources } from "../reports/files.js";
import { inputRowCallback, interfaceTensors } from "../codegen/header.js";
import { BACKENDS, type Backend } from "../kernels/registry.js";
import { MEMORY_OPTIONS, type MemoryOption } from "../memory_options.js";
import { fail, type Diagnostic } from "../diagnostics.js";
import { dataBytes } from "../compiler/ir.js";
import type { PixelMode } from "../inputs.js";
import { planReport } from "../reports/report.js";
import { boundsText, planPicture } from "../memplan/plan.js";
import { planHtml } from "../reports/html.js";
import { runCompiled } from "../run.js";
import { listTargets, loadTarget } from "../targets.js";
import { parseClock, parseLatency, parseWaitStates, requireTimingModel } from "../emulator/cycles.js";
import { VERSION } from "../version.js";
import { writeTflite } from "../compiler/tflite/writer.js";
import { buildZoo, FAMILIES, family } from "../zoo/index.js";
import { fitModel, fitSearch, zooSummary } from "../zoo/fit.js";
import { demo } from "./demo.js";
import { EXIT_CHECK_FAILED, EXIT_ERROR, EXIT_OK, checkResult, diagnosticJson, reportError, usageExit } from "./exit.js";
import { bytes, formatAnalyze, formatCheck, formatFit, formatPlan, formatRun, imageNote } from "./format.js";
import { analyze } from "../analyze.js";
import { classCount, classScores, readLabels, runInput, type InputFlags } from "./run_input.js";
import { streamedInputs } from "../memplan/segments.js";

interface CommonOpts {
  target: string; backend?: Backend; cmsisNn?: string; cmsisNnVersion?: string; placement: "exact" | "greedy"; disable: MemoryOption[]; streamInput?: boolean | string; streamOverhead?: number; json?: boolean;
  arena: "static" | "extern"; arenaSection?: string; weightsSection?: string;
}

/** `--disable a,b` (or `all`): memory options to turn off. */
function parseDisable(value: string, previous: MemoryOption[]): MemoryOption[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  const out = new Set(previous);
  for (const n of names) {
    if (n === "all") MEMORY_OPTIONS.forEach((o) => out.add(o));
    else if ((MEMORY_OPTIONS as readonly string[]).includes(n)) out.add(n as MemoryOption);
    else throw new InvalidArgumentError(`unknown memory option '${n}' (one of: ${MEMORY_OPTIONS.join(", ")}, all)`);
  }
  return [...out];
}

/** `--stream-overhead 5` (percent, `%` optional) as a share. */
function parsePercent(value: string): number {
  const x = Number(value.trim().replace(/%$/, ""));
  if (value.trim() === "" || !Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`expected a percentage of at least 0, got '${value}'`);
  return x / 100;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Int8Array || x instanceof Float32Array ? [...x] : x));
/** A check's report for --json: its failure, if any, as `error` in the shape error reports have. */
const reportJson = (r: { error?: Diagnostic }) => json(r.error ? { ...r, error: diagnosticJson(r.error) } : r);

function common(cmd: Command): Command {
  return cmd
    .addOption(new Option("-t, --target <name>", `target: ${listTargets().join(", ")}`).default("cortex-m4"))
    .addOption(new Option("-b, --backend <name>", "kernel backend (default: dsp on targets with the DSP extension, else portable)").choices([...BACKENDS]))
    .option("--cmsis-nn <dir>", "CMSIS-NN source tree for --backend cmsis-nn (default: $CMSIS_NN_ROOT)")
    .option("--cmsis-nn-version <version>", "with no CMSIS-NN tree: emit sources for this version (v7.0.0 or 4ab83cc3)")
    .addOption(new Option("--placement <algorithm>", "arena placement (greedy: TensorFlow Lite Micro's method, for comparison)").choices(["exact", "greedy"]).default("exact"))
    .option("--disable <options>", `turn memory options off, comma-separated (${MEMORY_OPTIONS.join(", ")}, or all); all are on by default`, parseDisable, [])
    .option("--stream-input [input]", "never hold the input whole: the model asks a callback (model.h) for each row as it needs it; for a model with several inputs, name one (tensor name or index)")
    .option("--stream-overhead <percent>", "row streaming may add at most this share of the model's instructions, as estimated (default 5); tinyc run with and without --disable stream measures it", parsePercent)
    .addOption(new Option("--arena <where>", "static: model.c holds the arena; extern: the caller passes its own buffer to init() (model.h states size and alignment)").choices(["static", "extern"]).default("static"))
    .option("--arena-section <name>", "put the static arena in this linker section (TINYC_ARENA_SECTION overrides it when model.c is compiled)")
    .option("--weights-section <name>", "put weights, requantization tables and kernel parameters in this linker section (TINYC_WEIGHTS_SECTION overrides it)")
    .option("--json", "print one JSON object on stdout");
}

/** --clock and --flash-wait-states, parsed; either asks for a cycle model of the target's core (TC124 when it has none). */
function timingOpts(o: CommonOpts & { clock?: string; flashWaitStates?: string }, what?: string): { clockHz?: number; flashWaitStates?: number } {
  const asked = what ?? (o.clock !== undefined ? "--clock" : o.flashWaitStates !== undefined ? "--flash-wait-states" : undefined);
  if (asked) requireTimingModel(loadTarget(o.target), asked);
  return {
    ...(o.clock === undefined ? {} : { clockHz: parseClock(o.clock) }),
    ...(o.flashWaitStates === undefined ? {} : { flashWaitStates: parseWaitStates(o.flashWaitStates) }),
  };
}

function compileOpts(o: CommonOpts): CompileOptions {
  return {
    target: o.target, backend: o.backend, cmsisNn: o.cmsisNn, cmsisNnVersion: o.cmsisNnVersion, placement: o.placement, disable: o.disable, streamInput: o.streamInput, streamOverhead: o.streamOverhead,
    arena: o.arena, arenaSection: o.arenaSection, weightsSection: o.weightsSection,
  };
}

/** The functions model.h declares: the input accessor (or, for a streamed input, the row callback the user writes), invoke and the output. */
function apiText(c: CompiledModel): string {
  const n = c.generated.names;
  const streamed = streamedInputs(c.plan.segments);
  const inputs = interfaceTensors(c.graph).filter((io) => io.role === "input")
    .map((io) => (streamed.has(io.tensor.id) ? `${inputRowCallback(io, n)}(y, row) (yours: it delivers input row y)` : `${io.index === 0 ? n.input : io.accessor(n)}()`));
  return [...inputs, `${n.invoke}()`, `${n.output}()`].join(", ");
}

async function action(o: { json?: boolean }, body: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (e) {
    process.exitCode = reportError(e, Boolean(o.json));
  }
}

const program = new Command()
  .name("tinyc")
  .description("Ahead-of-time compiler for tiny int8 neural networks on Cortex-M microcontrollers")
  .version(VERSION)
  .showHelpAfterError()
  // The option parser's own errors (unknown option, bad choice, missing argument) are usage errors: exit 2, never 1.
  .exitOverride()
  .addHelpText("after", `
Exit codes:
  ${EXIT_OK}  success
  ${EXIT_CHECK_FAILED}  a check you asked for failed: check over budget, run or demo output differs from the reference, zoo --fit found nothing
  ${EXIT_ERROR}  bad input or bad usage (a coded error names the problem), or a tool failed`);

common(program.command("compile <model>")
  .description("write firmware sources: model.c, model.h, kernels, Makefile, CMakeLists.txt (and arm-none-eabi.cmake for a Cortex-M target), memory report")
  .requiredOption("-o, --out <dir>", "output folder")
  .option("--example", "also write main.c, which runs the model once (host: inputs from a file, outputs printed; Cortex-M: invoke() timed by the cycle counter), built by the Makefile and CMakeLists.txt as tinyc_<model>_example"))
  .action((model: string, o: CommonOpts & { out: string; example?: boolean }) => action(o, () => {
    const c = compile(model, compileOpts(o));
    const files = writeSources(c, o.out, { example: o.example });
    if (o.json) process.stdout.write(json({ ...planSummary(c), out: o.out, files, passes: c.passes, notes: c.generated.notes, compileMs: c.compileMs }) + "\n");
    else {
      process.stdout.write(`wrote ${files.length} files to ${o.out}: ${files.join(", ")}\n`);
      process.stdout.write(`arena ${bytes(c.plan.arenaBytes)} bytes (${boundsText(c.plan, bytes)}); API in model.h: ${apiText(c)}\n`);
      for (const n of c.passes) process.stdout.write(`${n.pass}: op ${n.op} ${n.kind} ${n.message}\n`);
      if (c.backendNote) process.stdout.write(`note: ${c.backendNote}\n`);
      for (const n of c.generated.notes) process.stdout.write(`note: op ${n.op} ${n.kind}: ${n.message}\n`);
    }
    return EXIT_OK;
  }));

common(program.command("analyze <model>")
  .description("per op: kind, kernel and why, MACs, flash for weights and tables, live activation bytes, scratch, estimated instructions")
  .option("--run", "also run it in the emulator and print measured instructions and estimated cycles per op beside the estimates"))
  .action((model: string, o: CommonOpts & { run?: boolean }) => action(o, async () => {
    const r = await analyze(compile(model, compileOpts(o)), { run: o.run });
    process.stdout.write(o.json ? json(r) + "\n" : formatAnalyze(r));
    return EXIT_OK;
  }));

function planSummary(c: ReturnType<typeof compile>) {
  const r = planReport(c);
  return { model: r.model, target: r.target, backend: r.backend, arenaBytes: r.arenaBytes, lowerBoundBytes: r.lowerBoundBytes };
}

common(program.command("plan <model>")
  .description("print the memory plan: arena bytes, lower bound, per-op live set and offsets")
  .option("-v, --verbose", "also draw the arena (buffers by offset, lifetimes by op)")
  .option("--html <file>", "write a self-contained page with a picture of the arena and the per-op table"))
  .action((model: string, o: CommonOpts & { verbose?: boolean; html?: string }) => action(o, () => {
    const c = compile(model, compileOpts(o));
    const r = planReport(c);
    if (o.html) writeFile(o.html, planHtml(c));
    if (o.json) process.stdout.write(json(r) + "\n");
    else process.stdout.write(formatPlan(r, Boolean(o.verbose)) + (o.verbose ? `\n${planPicture(c.plan)}\n` : ""));
    return EXIT_OK;
  }));

common(program.command("check <model>")
  .description("check that the model fits a RAM and flash budget and, with --latency, a time budget at the part's clock (exit 0 fits, 1 does not, 2 bad input)")
  .option("--ram <size>", "RAM budget, e.g. 250KB (KB = KiB = 1024 bytes)")
  .option("--flash <size>", "model flash budget, e.g. 250KB")
  .option("--latency <time>", "time budget per inference, e.g. 100ms, estimated by the core's cycle model in QEMU; fails naming the three slowest ops")
  .option("--clock <frequency>", "the part's clock for --latency, e.g. 120MHz (default: the target file's)")
  .option("--flash-wait-states <n>", "flash wait states for the cycle estimate (default 0)"))
  .action((model: string, o: CommonOpts & { ram?: string; flash?: string; latency?: string; clock?: string; flashWaitStates?: string }) => action(o, async () => {
    if (o.ram === undefined && o.flash === undefined && o.latency === undefined) fail("TC121", "checkBudget", {});
    const ramBytes = o.ram === undefined ? Infinity : parseBytes(o.ram, "--ram");
    const flashBytes = o.flash === undefined ? Infinity : parseBytes(o.flash, "--flash");
    const timing = timingOpts(o, "--latency");
    const latency = o.latency === undefined ? undefined : { budgetMs: parseLatency(o.latency), ...timing };
    const r = await checkBudget(compile(model, compileOpts(o)), { ramBytes, flashBytes, ...(latency ? { latency } : {}) });
    process.stdout.write(o.json ? reportJson(r) + "\n" : formatCheck(r));
    return checkResult(r.errors, Boolean(o.json));
  }));

/** A repeatable option: every value, in order. */
const collect = (v: string, all: string[]) => [...all, v];

const pixels = (v: string): PixelMode => {
  if (v !== "raw" && v !== "centered") throw new InvalidArgumentError("expected raw or centered");
  return v;
};

common(program.command("run <model>")
  .description("build, run in QEMU, compare with the TypeScript reference (exit 1 on mismatch), report instructions and estimated cycles and time")
  .option("--input <file>", "raw input bytes, NHWC: one file per model input (repeat the flag, in input order) or one file with all of them concatenated (default: xorshift seed k+1 for input k)", collect, [])
  .option("--image <file.bmp>", "an 8-bit grayscale BMP as the (single) input; says on stderr (in --json: image) how it mapped the pixels")
  .option("--pixels <mode>", "with --image: centered (int8 = pixel - 128, the default) or raw (the pixel byte itself, 128..255 as -128..-1); a model's quantization does not say which it was trained on", pixels)
  .option("--labels <file>", "class names, one a line, in the order of the (first) output's elements: printed beside the scores")
  .option("--output <file>", "write the raw bytes of every output here, concatenated in output order")
  .option("--layers", "report every op: instructions, estimated cycles and whether its output equals the reference")
  .option("--timeout <seconds>", "stop QEMU after this many seconds", "120")
  .option("--clock <frequency>", "the part's clock for the time estimate, e.g. 80MHz (default: the target file's)")
  .option("--flash-wait-states <n>", "flash wait states for the cycle estimate (default 0: zero-wait-state memory)"))
  .action((model: string, o: CommonOpts & InputFlags & { input: string[]; labels?: string; output?: string; layers?: boolean; timeout: string; clock?: string; flashWaitStates?: string }) => action(o, async () => {
    const timing = timingOpts(o);
    const c = compile(model, compileOpts(o));
    const { input, image } = runInput(c, o);
    const labels = o.labels === undefined ? undefined : readLabels(o.labels, classCount(c));
    const timeout = Number(o.timeout);
    if (!(timeout > 0)) fail("TC121", "timeout", { value: o.timeout });
    if (image && !o.json) process.stderr.write(imageNote(image, o.pixels === undefined));
    const r = await runCompiled(c, { input, timeoutMs: timeout * 1000, ...timing });
    if (o.output) writeFile(o.output, Buffer.concat(r.outputs.map((x) => dataBytes(x))));
    const classes = labels && classScores(labels, r.outputs[0]!);
    if (o.json) process.stdout.write(reportJson({ ...r, ...(image ? { image } : {}), ...(classes ? { classes } : {}) }) + "\n");
    else process.stdout.write(formatRun(r, Boolean(o.layers), classes));
    return checkResult(r.error, Boolean(o.json));
  }));

program.command("zoo <family>")
  .description(`build a VWW-sized int8 model (${FAMILIES.map((f) => f.name).join(", ")}) and write it as .tflite, or --fit: find the largest configuration that fits a budget`)
  .option("-o, --out <file.tflite>", "where to write the model (with --fit: the largest configuration that fits, as the sweep built and measured it)")
  .option("--width <multiplier>", "width multiplier (MobileNets) or channels (isometric)", Number)
  .option("--resolution <pixels>", "input height and width", (v: string) => Number.parseInt(v, 10))
  .option("--channels <1|3>", "input channels", (v: string) => Number.parseInt(v, 10))
  .option("--depth <blocks>", "isometric: number of blocks", (v: string) => Number.parseInt(v, 10))
  .option("--expansion <t>", "isometric: inverted-bottleneck expansion", (v: string) => Number.parseInt(v, 10))
  .option("--seed <n>", "weight seed", (v: string) => Number.parseInt(v, 10))
  .option("--float-io", "float32 input and output around the int8 network (QUANTIZE / DEQUANTIZE)")
  .option("--uint8-io", "uint8 input and output around the int8 network (QUANTIZE, zero points 128 above), as image models from converters have")
  .option("--fit", "sweep the family's grid and report which configurations fit --ram / --flash")
  .option("--ram <size>", "RAM budget for --fit", "250KB")
  .option("--flash <size>", "flash budget for --fit", "250KB")
  .option("-t, --target <name>", "target for --fit", "cortex-m4")
  .option("--disable <options>", `for --fit: memory options to turn off (${MEMORY_OPTIONS.join(", ")}, or all), e.g. stream to compare without row streaming`, parseDisable, [])
  .option("--json", "print one JSON object on stdout")
  .action((name: string, o: { out?: string; width?: number; resolution?: number; channels?: number; depth?: number; expansion?: number; seed?: number; floatIo?: boolean; uint8Io?: boolean; fit?: boolean; ram: string; flash: string; target: string; disable: MemoryOption[]; json?: boolean }) => action(o, async () => {
    if (o.fit) {
      const ram = parseBytes(o.ram, "--ram"), flash = parseBytes(o.flash, "--flash");
      if (o.floatIo || o.uint8Io) fail("TC121", "fitIo", {});
      const f = family(name), channels = o.channels ?? 3;
      const report = await fitSearch(f, { ram, flash, target: o.target, channels, disable: o.disable }, o.json ? undefined : (s) => process.stderr.write(s));
      // The best configuration, as built and measured by the sweep.
      if (o.out && report.best) writeFile(o.out, writeTflite(fitModel(f, report.best.config, channels)));
      const out = o.out && report.best ? o.out : undefined;
      process.stdout.write(o.json ? json({ ...report, ...(out ? { out } : {}) }) + "\n" : formatFit(report) + (o.out ? (out ? `wrote ${out}: ${report.best!.model}\n` : `nothing written to ${o.out}\n`) : ""));
      return report.best ? EXIT_OK : EXIT_CHECK_FAILED;
    }
    if (!o.out) fail("TC121", "zooOut", {});
    if (o.floatIo && o.uint8Io) fail("TC121", "zooIo", {});
    const io = o.floatIo ? "float32" : o.uint8Io ? "uint8" : "int8";
    const g = buildZoo(name, { width: o.width, resolution: o.resolution, channels: o.channels, depth: o.depth, expansion: o.expansion, seed: o.seed, io });
    writeFile(o.out, writeTflite(g));
    const s = zooSummary(g);
    process.stdout.write(o.json ? json({ model: g.name, out: o.out, ...s }) + "\n" : `wrote ${o.out}: ${g.name}, ${s.macs.toLocaleString("en-US")} MACs, ${s.params.toLocaleString("en-US")} parameters, ${g.nodes.length} ops\n`);
    return EXIT_OK;
  }));

program.command("demo")
  .description("compile, plan and run the shared VWW models in QEMU (the README's demo)")
  .option("-t, --target <name>", "target", "cortex-m4")
  .action((o: { target: string }) => action({}, async () => ((await demo((s) => process.stdout.write(s), o.target)) ? EXIT_OK : EXIT_CHECK_FAILED)));

try {
  await program.parseAsync();
} catch (e) {
  process.exitCode = e instanceof CommanderError ? usageExit(e) : reportError(e, false);
}
