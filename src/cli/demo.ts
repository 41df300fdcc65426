/**
 * The README's demo: person_detect on person.bmp and no_person.bmp, then
 * vww_96_int8 on the golden seed-1 input, then the zoo's default isometric
 * network, each compiled, planned and run in QEMU (cortex-m4 and its default
 * kernels unless told otherwise), with the memory plan, instructions per
 * inference and the scores; before each result, the `tinyc run` command that
 * feeds the model the same input.
 */
import { boundsText } from "../memplan/plan.js";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { writeTflite } from "../compiler/tflite/writer.js";
import { zooSummary } from "../zoo/fit.js";
import { buildZoo } from "../zoo/index.js";
import { compile, type CompiledModel } from "../compile.js";
import { fail } from "../diagnostics.js";
import { packageRoot } from "../paths.js";
import { runCompiled } from "../run.js";
import { bytes } from "./format.js";
import { runCommand, runInput, type InputFlags } from "./run_input.js";

export function sharedModelsDir(): string {
  const dir = process.env.TINYC_MODELS_DIR ?? resolve(packageRoot(), "..", "shared", "models");
  if (!existsSync(join(dir, "person_detect.tflite"))) {
    fail("TC100", "demoModels", { dir }, { file: dir });
  }
  return dir;
}

const CLASSES = ["no person", "person"];

/** One run of the demo: the model (in the models folder), `tinyc run`'s input flags, and the class the model should give. */
export interface DemoCase {
  readonly model: string;
  readonly label: string;
  readonly flags: InputFlags;
  readonly expect?: number;
}

/**
 * The demo's runs on the shared models. person_detect was trained on raw
 * pixel bytes (TensorFlow Lite Micro's person-detection example feeds them so),
 * which its quantization does not reveal: hence --pixels raw.
 */
export function demoCases(models: string): DemoCase[] {
  return [
    { model: "person_detect", label: "person.bmp", flags: { image: join(models, "person.bmp"), pixels: "raw" }, expect: 1 },
    { model: "person_detect", label: "no_person.bmp", flags: { image: join(models, "no_person.bmp"), pixels: "raw" }, expect: 0 },
    { model: "vww_96_int8", label: "golden seed-1 input", flags: {} },
  ];
}

interface Baseline { models: Record<string, { arenaUsedBytes: { cmsisNn: number; reference: number } }> }

/** TensorFlow Lite Micro's own arena for a shared model, as measured (../shared/baselines/tflm-qemu.json), beside tinyc's. */
function tflmArenaText(model: string): string {
  const path = resolve(packageRoot(), "..", "shared", "baselines", "tflm-qemu.json");
  if (!existsSync(path)) return "";
  const arena = (JSON.parse(readFileSync(path, "utf8")) as Baseline).models[model]?.arenaUsedBytes;
  if (!arena) return "";
  return `TensorFlow Lite Micro's own arena for this model: ${bytes(arena.cmsisNn)} bytes with CMSIS-NN, ${bytes(arena.reference)} with its reference kernels (measured in QEMU; ${relative(process.cwd(), path) || path})\n`;
}

/** The plan's figures: the arena, the bounds, the greedy placement of the same buffers, and the peak. */
function planText(p: CompiledModel["plan"]): string {
  const peak = p.steps[p.peakStep]!;
  return `memory plan: arena ${bytes(p.arenaBytes)} bytes (${boundsText(p, bytes)}; greedy by size, largest first, of the same buffers would need ${bytes(p.greedyArenaBytes)}), peak at op ${peak.op} (${peak.kind})\n`;
}

export async function demo(out: (s: string) => void, target = "cortex-m4"): Promise<boolean> {
  const models = sharedModelsDir();
  let ok = true;
  const targetFlags = target === "cortex-m4" ? [] : ["--target", target];
  let shownPlan = "";
  for (const c of demoCases(models)) {
    const path = join(models, `${c.model}.tflite`);
    const compiled = compile(path, { target });
    if (shownPlan !== c.model) {
      shownPlan = c.model;
      out(`\n== ${c.model}.tflite → ${target} (${compiled.backend} kernels, the default there), compiled in ${compiled.compileMs.toFixed(0)} ms\n`);
      out(planText(compiled.plan) + tflmArenaText(c.model));
    }
    const r = await runCompiled(compiled, { input: runInput(compiled, c.flags).input });
    const scores = [...r.output];
    const top = scores.indexOf(Math.max(...scores));
    const verdict = c.expect === undefined ? "" : top === c.expect ? "  (expected)" : "  (UNEXPECTED)";
    if (!r.matches || (c.expect !== undefined && top !== c.expect)) ok = false;
    out(`$ ${runCommand(path, c.flags, targetFlags)}\n`);
    out(`${c.label.padEnd(20)} → ${CLASSES[top]} (scores no person ${scores[0]}, person ${scores[1]})${verdict}; ` +
      `${r.matches ? "bit-exact with the reference" : "DIFFERS from the reference"}; ${bytes(r.instructions)} instructions; ` +
      `RAM ${bytes(r.ramBytes)} bytes; model flash ${bytes(r.modelFlashBytes)} bytes\n`);
  }
  // A zoo model: the default isometric network, written to .tflite and compiled like any user model.
  const iso = buildZoo("isometric");
  const dir = mkdtempSync(join(tmpdir(), "tinyc-demo-"));
  const path = join(dir, `${iso.name}.tflite`);
  writeFileSync(path, writeTflite(iso));
  const compiled = compile(path, { target });
  const p = compiled.plan;
  const { macs } = zooSummary(iso);
  out(`\n== zoo isometric (${iso.name}: ${bytes(macs)} MACs; random weights, so its class means nothing) → ${target}\n`);
  out(`memory plan: arena ${bytes(p.arenaBytes)} bytes (${boundsText(p, bytes)})\n`);
  const flags: InputFlags = { image: join(models, "person.bmp"), pixels: "centered" };
  const r = await runCompiled(compiled, { input: runInput(compiled, flags).input });
  if (!r.matches) ok = false;
  out(`$ tinyc zoo isometric -o ${iso.name}.tflite && ${runCommand(`${iso.name}.tflite`, flags, targetFlags)}\n`);
  out(`person.bmp (RGB)     → scores [${[...r.output].join(", ")}]; ${r.matches ? "bit-exact with the reference" : "DIFFERS from the reference"}; ` +
    `${bytes(r.instructions)} instructions; RAM ${bytes(r.ramBytes)} bytes; model flash ${bytes(r.modelFlashBytes)} bytes\n`);
  return ok;
}
