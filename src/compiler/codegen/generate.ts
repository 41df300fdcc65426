/**
 * C emission: model.c (const weights and
 * requantization tables in flash, one static aligned arena, the invoke function
 * calling one kernel per op at constant arena offsets). Each op's kernel family
 * (src/kernels, chosen by the registry) emits its call through an EmitContext;
 * this driver has no switch over op kinds or families. model.h (the API) is
 * header.ts.
 */
import { join } from "node:path";
import { assert } from "../../diagnostics.js";
import type { Node, Tensor } from "../ir.js";
import { isConstant, tensorBytes } from "../ir.js";
import { constInt32, constInt8, tensorOf } from "../ops/common.js";
import { kernelFor, type Backend, type BoundFamily } from "../../kernels/registry.js";
import type { EmitContext, KernelFamily, RowRange } from "../../kernels/types.js";
import { rowOpOf, streamedInputs, type Ring, type Segment } from "../../memplan/segments.js";
import type { PreparedGraph } from "../passes/prepare.js";
import { boundsText, type MemoryPlan } from "../../memplan/plan.js";
import type { Target } from "../../targets.js";
import { CWriter, cInt32 } from "./cwriter.js";
import { banner, elementCType, inputRowCallback, interfaceTensors, pointerCast, renderHeader } from "./header.js";
import { namesFor, SymbolTable, type Names } from "./naming.js";

export interface GenerateOptions {
  readonly backend: Backend;
  readonly target: Target;
  /** The backend's family and its fallbacks, set up for this compile. */
  readonly families: readonly BoundFamily[];
}

export interface OpNote {
  readonly op: number;
  readonly kind: string;
  readonly message: string;
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


export function generateC(p: PreparedGraph, plan: MemoryPlan, options: GenerateOptions): GeneratedModel {
  const { graph } = p;
  const names = namesFor(graph.name);
  const symbols = new SymbolTable();
  const data = new CWriter();
  const body = new CWriter();
  const notes: OpNote[] = [];
  const constSymbols = new Map<number, string>();
  const usedSources = new Map<string, KernelFamily>();
  const usedFamilies = new Set<KernelFamily>([options.families[0]!.family]);

  const constantSymbol = (t: Tensor): string => {
    const existing = constSymbols.get(t.id);
    if (existing) return existing;
    const sym = symbols.take(`w${t.id}_${t.name.split(/[;/]/).pop() ?? ""}`.slice(0, 48));
    data.comment(`${t.name}: ${t.dtype} [${t.shape.join(", ")}]`);
    if (t.dtype === "int8") data.array(`static const int8_t ${sym}[${t.data!.length}] TINYC_ALIGNED(4)`, constInt8(t), 32);
    else if (t.dtype === "int32") data.array(`static const int32_t ${sym}[${t.data!.length / 4}] TINYC_ALIGNED(4)`, Array.from(constInt32(t), cInt32), 12);
    else throw new Error(`tinyc internal error: constant ${t.name} of type ${t.dtype} reached code generation`);
    data.line();
    constSymbols.set(t.id, sym);
    return sym;
  };

  const arenaExpr = (offset: number) => `(${names.arena} + ${offset})`;

  const shapes = (ts: readonly Tensor[]) => ts.map((t) => `[${t.shape.join("x")}]`).join(", ");
  /** One op's kernel call (or a comment when it runs nothing); inside a segment, for the rows `rows`. */
  const emitOp = (node: Node, rows?: RowRange) => {
    const outs = node.outputs.map((id) => tensorOf(graph, id)), out = outs[0]!;
    const op = { node, graph, params: p.params.get(node.index), target: options.target };
    const choice = plan.elided.has(node.index) ? undefined : kernelFor(options.backend, op);
    const ctx: EmitContext = {
      target: options.target,
      graph,
      body,
      reverse: plan.reverse.has(node.index),
      outputPixelStride: plan.pixelStride.get(out.id),
      rows,
      tensor(id) {
        const t = tensorOf(graph, id);
        if (isConstant(t)) return constantSymbol(t);
        return arenaExpr(plan.tensorOffsets.get(id)!);
      },
      table(hint, ctype, values) {
        const sym = symbols.take(hint);
        data.array(`static const ${ctype} ${sym}[${values.length}] TINYC_ALIGNED(4)`, Array.from(values as ArrayLike<number>, (v) => cInt32(v)), 8);
        return sym;
      },
      struct(hint, ctype, fields) {
        const sym = symbols.take(hint);
        data.block(`static const ${ctype} ${sym} =`, () => {
          for (const [k, v] of Object.entries(fields)) data.line(`.${k} = ${typeof v === "number" ? cInt32(v) : v},`);
        }, "};");
        return sym;
      },
      scratch() {
        const s = plan.scratch.get(node.index);
        return s ? `(void *)${arenaExpr(s.offset)}` : "NULL";
      },
      note(message) {
        notes.push({ op: node.index, kind: node.kind, message });
      },
      source(file) {
        assert(choice?.family.sources !== undefined, `kernel family '${choice?.family.name}' ships no C sources but op ${node.index} asked for ${file}`);
        usedSources.set(file, choice.family);
        usedFamilies.add(choice.family);
      },
    };
    if (plan.elided.has(node.index)) body.comment("nothing to run: its inputs were written into their slices of the output");
    else if (!choice) body.comment(`op ${node.index} ${node.kind}: output aliases input (no code)`);
    else {
      if (choice.note && !rows) ctx.note(choice.note);
      choice.kernel.emit(op as never, ctx);
    }
  };
  /** The layer hook for each output of an op (whole tensors only). */
  const hooks = (node: Node) => {
    for (const t of node.outputs.map((id) => tensorOf(graph, id))) {
      const stride = plan.pixelStride.get(t.id);
      if (stride === undefined) body.line(`TINYC_LAYER_HOOK(${node.index}, ${arenaExpr(plan.tensorOffsets.get(t.id)!)}, ${tensorBytes(t)});`);
      else {
        const channels = t.shape[t.shape.length - 1]!;
        body.line(`TINYC_LAYER_HOOK_ROWS(${node.index}, ${arenaExpr(plan.tensorOffsets.get(t.id)!)}, ${tensorBytes(t) / channels}, ${channels}, ${stride});`);
      }
    }
  };
  /**
   * The layer hook of an op writing a ring inside a segment: once per row the
   * call wrote, in row order (each row is written once, so a hash run on
   * across the calls is the whole tensor's).
   */
  const ringHook = (node: Node, ring: Segment["rings"][number]) => {
    const t = tensorOf(graph, ring.tensor), rowBytes = ring.bytes / ring.rows;
    assert(plan.pixelStride.get(t.id) === undefined, `op ${node.index}'s ring is written with a pixel stride`);
    body.line(`{ int32_t y; for (y = begin; y < end; y++) TINYC_LAYER_HOOK(${node.index}, ${arenaExpr(plan.tensorOffsets.get(t.id)!)} + (y % ${ring.rows}) * ${rowBytes}, ${rowBytes}); }`);
  };
  /**
   * Before a call of the op reading a streamed input: the user's callback for
   * each input row the call reads that has not arrived yet, in order, into
   * the input's ring (or, with `until`, every row left below that one). A
   * callback's error stops invoke().
   */
  const fetchRows = (node: Node, ring: Ring, until?: string) => {
    const o = rowOpOf(node, p.params.get(node.index))!;
    const t = tensorOf(graph, ring.tensor), rowBytes = ring.bytes / ring.rows;
    const io = interfaceTensors(graph).find((x) => x.role === "input" && x.tensor.id === t.id)!;
    const fetchUntil = (limit: string) => body.block(`for (; fetched < ${limit}; fetched++)`, () => {
      body.line(`if (${inputRowCallback(io, names)}(fetched, ${arenaExpr(plan.tensorOffsets.get(t.id)!)} + (fetched % input_ring) * ${rowBytes}) != 0) return ${1 + node.index};`);
    });
    if (until !== undefined) return void fetchUntil(until);
    body.block("", () => {
      body.line(`int32_t need = (end - 1) * ${o.strideH} + ${(o.kH - 1) * o.dilH + 1 - o.padTop};`);
      body.line(`if (need > ${o.inH}) need = ${o.inH};`);
      fetchUntil("need");
    });
  };
  /**
   * A row-streamed segment: its calls (op, first row, end row) as a table in
   * flash, run in order; each op's kernel reads and writes its rings.
   */
  const emitSegment = (seg: Segment) => {
    const table = symbols.take(`op${seg.ops[0]}_segment_calls`);
    const calls = seg.schedule.calls.flatMap((c) => [c.op, c.begin, c.end]);
    data.comment(`segment of ops ${seg.ops.join(", ")}: per kernel call, the op (its place in the segment) and its output rows [begin, end)`);
    data.array(`static const int16_t ${table}[${calls.length}]`, calls, 24);
    data.line();
    const input = seg.inputRing;
    body.comment(`segment of ops ${seg.ops.join(", ")}, streamed by rows: ${[...(input ? [input] : []), ...seg.rings].map((r) => `${r.rows} rows`).join(", ")} of rings${input ? " (the first for the streamed input)" : ""}`);
    const rings = new Map([...(input ? [input] : []), ...seg.rings].map((r) => [r.tensor, r.rows]));
    body.block("", () => {
      body.line("int32_t call;");
      if (input) body.line(`const int32_t input_ring = ${input.rows};`).line("int32_t fetched = 0;");
      body.block(`for (call = 0; call < ${seg.schedule.calls.length}; call++)`, () => {
        body.line(`const int32_t begin = ${table}[3 * call + 1], end = ${table}[3 * call + 2];`);
        body.block(`switch (${table}[3 * call])`, () => {
          seg.steps.forEach((step, k) => {
            const inRing = k > 0 ? seg.rings[k - 1]!.rows : input ? "input_ring" : 0, outRing = k < seg.rings.length ? seg.rings[k]!.rows : 0;
            const node = graph.nodes[step]!;
            body.line(`case ${k}:`);
            if (k === 0 && input) fetchRows(node, input);
            emitOp(node, { begin: "begin", end: "end", inRing, outRing, rings });
            if (k < seg.rings.length) ringHook(node, seg.rings[k]!);
            body.line("break;");
          });
          body.line("default:");
          body.line("break;");
        });
      });
      // Rows below the last one the first op reads are still asked for: the source delivers every row, each invoke.
      if (input) fetchRows(graph.nodes[seg.steps[0]!]!, input, String(tensorOf(graph, input.tensor).shape[1]));
    });
  };
  const segmentAt = new Map(plan.segments.flatMap((seg) => seg.steps.map((step) => [step, seg] as const)));

  graph.nodes.forEach((node, step) => {
    const inputs = node.inputs.filter((i) => i >= 0).map((i) => tensorOf(graph, i));
    const outs = node.outputs.map((id) => tensorOf(graph, id));
    body.comment(`op ${node.index} ${node.kind}: ${shapes(inputs.filter((t) => !isConstant(t)))} -> ${shapes(outs)}`);
    const seg = segmentAt.get(step);
    if (!seg) {
      emitOp(node);
      hooks(node);
    } else if (step === seg.steps[0]) {
      emitSegment(seg);
      if (seg.steps.length === 1) hooks(node);
    } else {
      body.comment(`runs in the segment of op ${seg.ops[0]}, its output a ring of ${seg.rings[seg.steps.indexOf(step)]?.rows ?? 0} rows`);
      if (step === seg.steps[seg.steps.length - 1]) hooks(node);
    }
    body.line();
  });

  const source = new CWriter()
    .line(banner(graph))
    .line(`/* backend ${options.backend}, target ${options.target.name}; arena ${plan.arenaBytes} bytes (${boundsText(plan)}) */`)
    .line("#include <stddef.h>")
    .line("#include <stdint.h>")
    .line('#include "model.h"')
    .lines(options.families
      .filter((b) => usedFamilies.has(b.family))
      .flatMap((b) => [...(b.setup?.includes ?? []), ...(b.family.sources ? [b.family.sources.headers[0]!] : [])])
      .map((h) => `#include "${h}"`))
    .line()
    .line("#if defined(__GNUC__)")
    .line("#define TINYC_ALIGNED(n) __attribute__((aligned(n)))")
    .line("#else")
    .line("#define TINYC_ALIGNED(n)")
    .line("#endif")
    .line()
    .comment("Called after every op with its output (the emulator harness uses it), and inside a streamed segment after each call with each row it wrote into a ring; compiles to nothing by default.")
    .line("#ifndef TINYC_LAYER_HOOK")
    .line("#define TINYC_LAYER_HOOK(op, data, bytes) ((void)0)")
    .line("#endif")
    .line("#ifndef TINYC_LAYER_HOOK_ROWS")
    .line("#define TINYC_LAYER_HOOK_ROWS(op, data, rows, row_bytes, stride) ((void)0)")
    .line("#endif")
    .line()
    .comment("The arena: every activation, the input and output, and kernel scratch, at constant offsets.")
    .line(`static int8_t ${names.arena}[${names.macro}_ARENA_BYTES] TINYC_ALIGNED(${plan.align});`)
    .line()
    .append(data)
    .line();
  const streamed = streamedInputs(plan.segments);
  for (const io of interfaceTensors(graph).filter((x) => !streamed.has(x.tensor.id))) {
    source.block(`${elementCType(io.tensor)} *${io.accessor(names)}(void)`, () => source.line(`return ${pointerCast(io.tensor)}${arenaExpr(plan.tensorOffsets.get(io.tensor.id)!)};`)).line();
  }
  source.block(`int ${names.invoke}(void)`, () => source.append(body).line("return 0;"));
  return {
    names, header: renderHeader(graph, plan, names), source: source.toString(), notes,
    kernelFiles: [...usedSources.keys()].sort(),
    kernelSources: kernelSources(options.families, usedFamilies, usedSources),
  };
}

/** The files shipped beside model.c: each used family's headers, then the kernel sources, sorted. */
function kernelSources(families: readonly BoundFamily[], used: ReadonlySet<KernelFamily>, sources: ReadonlyMap<string, KernelFamily>): Map<string, string> {
  const files = new Map<string, string>();
  for (const { family } of families) {
    if (!used.has(family) || !family.sources) continue;
    for (const h of family.sources.headers) files.set(h, join(family.sources.dir, h));
  }
  for (const name of [...sources.keys()].sort()) files.set(name, join(sources.get(name)!.sources!.dir, name));
  return files;
}

