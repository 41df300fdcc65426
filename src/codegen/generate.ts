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
import { ModelCode, type OpNote } from "./emit_op.js";
import { banner, elementCType, interfaceTensors, pointerCast, renderHeader } from "./header.js";
import { namesFor, SymbolTable, type Names } from "./naming.js";
import { emitSegment } from "./segment.js";
import { fillTemplate } from "./template.js";

export type { OpNote } from "./emit_op.js";

export interface GenerateOptions {
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
}

export function generateC(l: LoweredGraph, plan: MemoryPlan, options: GenerateOptions): GeneratedModel {
  const { graph } = l;
  const names = namesFor(graph.name);
  const arena = (offset: number) => `(${names.arena} + ${offset})`;
  const code = new ModelCode(l, plan, options.target, new SymbolTable(), arena, options.families[0]!.family.name);
  emitOps(code, names);
  const streamed = streamedInputs(plan.segments);
  const accessors = new CWriter();
  for (const io of interfaceTensors(graph).filter((x) => !streamed.has(x.tensor.id))) {
    accessors.block(`${elementCType(io.tensor)} *${io.accessor(names)}(void)`, () => accessors.line(`return ${pointerCast(io.tensor)}${arena(plan.tensorOffsets.get(io.tensor.id)!)};`)).line();
  }
  const used = options.families.filter((b) => code.usedFamilies.has(b.family.name));
  const source = fillTemplate("model.c.in", {
    banner: banner(graph), backend: l.backend, target: options.target.name, arena_bytes: String(plan.arenaBytes), bounds: boundsText(plan),
    includes: used.flatMap((b) => [...(b.setup?.includes ?? []), ...(b.family.sources ? [b.family.sources.headers[0]!] : [])]).map((h) => `#include "${h}"`).join("\n"),
    arena: names.arena, macro: names.macro, align: String(plan.align), data: code.data.text(), accessors: accessors.text(), invoke: names.invoke, body: code.body.text(),
  });
  return {
    names, header: renderHeader(graph, plan, names), source, notes: code.notes,
    kernelFiles: [...code.usedSources.keys()].sort(),
    kernelSources: kernelSources(used, code.usedSources),
  };
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
