/**
 * C emission: model.c (const weights and requantization tables in flash, one
 * static aligned arena, the invoke function calling one kernel per op at
 * constant arena offsets), from the lowered graph and the plan. The skeleton
 * is a template (templates/model/model.c.in); each op's code comes from the
 * kernel chosen at lowering (emit_op.ts), a streamed segment's from its
 * schedule (segment.ts). model.h (the API) is header.ts.
 */
import { join } from "node:path";
import { assert } from "../diagnostics.js";
import { isConstant, type Tensor } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import { CWriter } from "../kernels/cwriter.js";
import type { BoundFamily } from "../kernels/registry.js";
import type { LoweredGraph } from "../lower/types.js";
import { boundsText, type MemoryPlan } from "../memplan/plan.js";
import { streamedInputs } from "../memplan/segments.js";
import type { Target } from "../targets.js";
import { ModelCode, type ConstSymbol, type OpNote } from "./emit_op.js";
import { banner, elementCType, interfaceTensors, pointerCast, renderHeader } from "./header.js";
import { namesFor, SymbolTable, type Names } from "./naming.js";
import { emitSegment } from "./segment.js";
import { fillTemplate } from "./template.js";

export type { ConstSymbol, OpNote } from "./emit_op.js";

/** Where the model's memory goes in the user's firmware. */
export interface PlacementOptions {
  /** "extern": the caller's buffer, passed to init() (model.h states its size and alignment); "static" (the default): model.c holds it. */
  readonly arena?: "static" | "extern";
  /** Default section for the static arena (TINYC_ARENA_SECTION overrides it when model.c is compiled). */
  readonly arenaSection?: string;
  /** Default section for the const data: weights, requantization tables, kernel parameters (TINYC_WEIGHTS_SECTION overrides it). */
  readonly weightsSection?: string;
}

export interface GenerateOptions extends PlacementOptions {
  readonly target: Target;
  /** The backend's family and its fallbacks, set up for this compile. */
  readonly families: readonly BoundFamily[];
}

export interface GeneratedModel {
  readonly names: Names;
  /** model.h and model.c */
  readonly header: string;
  readonly source: string;
  /** The kernels' C sources the model calls (file names beside model.c), whatever the backend. */
  readonly kernelFiles: readonly string[];
  /** Every file shipped beside model.c for the kernels (C sources and the families' headers): name → path. */
  readonly kernelSources: ReadonlyMap<string, string>;
  readonly notes: readonly OpNote[];
  /** Every const symbol in flash (weights, tables, kernel parameters, segment call tables) and the op it is counted for. */
  readonly constSymbols: readonly ConstSymbol[];
  /** Whether model.c holds the arena ("static") or takes the caller's at init ("extern"). */
  readonly arena: "static" | "extern";
}

export function generateC(l: LoweredGraph, plan: MemoryPlan, options: GenerateOptions): GeneratedModel {
  const { graph } = l;
  const names = namesFor(graph.name);
  const arena = (offset: number) => `(${names.arena} + ${offset})`;
  const code = new ModelCode(l, plan, options.target, new SymbolTable(), arena, options.families[0]!.family.name);
  emitOps(code, names);
  const streamed = streamedInputs(plan.segments);
  const external = options.arena === "extern";
  const accessors = new CWriter();
  for (const io of interfaceTensors(graph).filter((x) => !streamed.has(x.tensor.id))) {
    const at = `${pointerCast(io.tensor)}${arena(plan.tensorOffsets.get(io.tensor.id)!)}`;
    accessors.block(`${elementCType(io.tensor)} *${io.accessor(names)}(void)`, () => accessors.line(`return ${external ? `${names.arena} == NULL ? NULL : ${at}` : at};`)).line();
  }
  const used = options.families.filter((b) => code.usedFamilies.has(b.family.name));
  const source = fillTemplate("model.c.in", {
    banner: banner(graph), backend: l.backend, target: options.target.name, arena_bytes: String(plan.arenaBytes), bounds: boundsText(plan),
    includes: used.flatMap((b) => [...(b.setup?.includes ?? []), ...(b.family.sources ? [b.family.sources.headers[0]!] : [])]).map((h) => `#include "${h}"`).join("\n"),
    section_defaults: sectionDefaults(options), arena_declaration: arenaDeclaration(names, plan.align, external),
    data: code.data.text(), init: external ? initFunction(names) : "", accessors: accessors.text(), invoke: names.invoke,
    arena_check: external ? `if (${names.arena} == NULL) return ${names.macro}_ERROR_NO_ARENA;` : "", body: code.body.text(),
  });
  return {
    names, header: renderHeader(graph, plan, names, external), source, notes: code.notes, constSymbols: code.constSymbols, arena: external ? "extern" : "static",
    kernelFiles: [...code.usedSources.keys()].sort(),
    kernelSources: kernelSources(used, code.usedSources),
  };
}

/** `#define TINYC_*_SECTION "name"` defaults for the sections the options name, each overridable at compile time. */
function sectionDefaults(o: PlacementOptions): string {
  const w = new CWriter();
  for (const [macro, section] of [["TINYC_ARENA_SECTION", o.arenaSection], ["TINYC_WEIGHTS_SECTION", o.weightsSection]] as const) {
    if (section !== undefined) w.line(`#ifndef ${macro}`).line(`#define ${macro} "${section}"`).line("#endif");
  }
  return w.text();
}

/** The static arena, or the pointer to the caller's. */
function arenaDeclaration(names: Names, align: number, external: boolean): string {
  return external
    ? `static int8_t *${names.arena}; /* the caller's buffer, from ${names.init}() */`
    : `static int8_t ${names.arena}[${names.macro}_ARENA_BYTES] TINYC_ALIGNED(${align}) TINYC_ARENA_PLACE;`;
}

/** init(): takes the caller's arena after checking it is there, aligned and large enough (the status says which check failed). */
function initFunction(names: Names): string {
  const M = names.macro, w = new CWriter();
  w.block(`int ${names.init}(void *arena, size_t bytes)`, () => {
    w.block("if (arena == NULL)", () => w.line(`return ${M}_ERROR_NO_ARENA;`));
    w.block(`if (((uintptr_t)arena % ${M}_ARENA_ALIGN) != 0u)`, () => w.line(`return ${M}_ERROR_ARENA_ALIGNMENT;`));
    w.block(`if (bytes < ${M}_ARENA_BYTES)`, () => w.line(`return ${M}_ERROR_ARENA_SIZE;`));
    w.line(`${names.arena} = (int8_t *)arena;`).line("return 0;");
  }).line();
  return w.text();
}

/** Every op in schedule order: a comment naming it, its call (or its segment's loop) and its layer hook. */
function emitOps(code: ModelCode, names: Names): void {
  const { body, plan, l } = code;
  const shapes = (ts: readonly Tensor[]) => ts.map((t) => `[${t.shape.join("x")}]`).join(", ");
  const segmentAt = new Map(plan.segments.flatMap((seg) => seg.steps.map((step) => [step, seg] as const)));
  l.graph.nodes.forEach((node, step) => {
    const inputs = node.inputs.filter((i) => i >= 0).map((i) => tensorOf(l.graph, i));
    body.comment(`op ${node.index} ${node.kind}: ${shapes(inputs.filter((t) => !isConstant(t)))} -> ${shapes(node.outputs.map((id) => tensorOf(l.graph, id)))}`);
    const seg = segmentAt.get(step);
    if (!seg) {
      code.emitOp(node);
      code.hooks(node);
    } else if (step === seg.steps[0]) {
      emitSegment(code, names, seg);
      if (seg.steps.length === 1) code.hooks(node);
    } else {
      body.comment(`runs in the segment of op ${seg.ops[0]}, its output a ring of ${seg.rings[seg.steps.indexOf(step)]?.rows ?? 0} rows`);
      if (step === seg.steps[seg.steps.length - 1]) code.hooks(node);
    }
    body.line();
  });
}

/** The files shipped beside model.c: each used family's headers, then the kernel sources, sorted. */
function kernelSources(used: readonly BoundFamily[], sources: ReadonlyMap<string, string>): Map<string, string> {
  const files = new Map<string, string>();
  const dirOf = new Map(used.map((b) => [b.family.name, b.family.sources?.dir]));
  for (const { family } of used) for (const h of family.sources?.headers ?? []) files.set(h, join(family.sources!.dir, h));
  for (const name of [...sources.keys()].sort()) {
    const dir = dirOf.get(sources.get(name)!);
    assert(dir !== undefined, `kernel family '${sources.get(name)}' ships no C sources but its code asked for ${name}`);
    files.set(name, join(dir, name));
  }
  return files;
}
