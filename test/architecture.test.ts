/**
 * The seams the code is built along, checked on the sources: op modules own
 * semantics only and import no kernel family; no import cycle joins the ops
 * and the families; a family's kernels are named only inside its folder; no
 * code outside the registry compares backend names. Each check is also run
 * on a small made-up tree that breaks it, so the check itself can fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { FAMILIES } from "../src/kernels/registry.js";
import type { OpKind } from "../src/compiler/ir.js";
import { OPS } from "../src/compiler/ops/index.js";
import { ROOT } from "./helpers.js";

const SRC = join(ROOT, "src");

/** Every .ts file under src, as path (relative to src) → text. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) files.set(relative(SRC, p), readFileSync(p, "utf8"));
    }
  };
  walk(SRC);
  return files;
}

/** Import edges (type-only imports included): file → files it imports, all relative to src. */
function importGraph(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/g), ...text.matchAll(/import\("(\.[^"]+)"\)/g)]
      .map((m) => relative(SRC, resolve(SRC, dirname(file), m[1]!)).replace(/\.js$/, ".ts"))
      .filter((t) => files.has(t));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next); low.set(v, next++); stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const isOp = (f: string) => f.startsWith("compiler/ops/");
const isFamily = (f: string) => f.startsWith("kernels/");

/** Op modules that import a kernel family or the code generator. */
function opsImportingKernels(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph].filter(([f]) => isOp(f)).flatMap(([f, ts]) => ts.filter((t) => isFamily(t) || t.startsWith("compiler/codegen/")).map((t) => `${f} -> ${t}`));
}

/** Cycles that contain both an op module and a kernel family file. */
function opFamilyCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  return cycles(graph).filter((c) => c.some(isOp) && c.some(isFamily));
}

/** Calls of a family's C kernels (arm_*_s8(, tinyc_*_s8( ...) outside that family's folder. */
function kernelNamesOutside(files: ReadonlyMap<string, string>): string[] {
  const owners: [RegExp, string][] = [
    [/\barm_[a-z0-9_]+\(/g, "kernels/cmsis_nn/"],
    [/\btinyc_dsp_[a-z0-9_]+_s8\w*\(/g, "kernels/dsp/"],
    [/\btinyc_(?!dsp_)[a-z0-9_]+_(s8|f32)\w*\(/g, "kernels/portable/"],
  ];
  const hits: string[] = [];
  for (const [file, text] of files) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const [re, folder] of owners) if (!file.startsWith(folder)) for (const m of code.matchAll(re)) hits.push(`${file}: ${m[0]}`);
  }
  return hits;
}

/** Comparisons against a family's name (a switch over backends) outside the registry's folder. */
function backendSwitches(files: ReadonlyMap<string, string>, names: readonly string[]): string[] {
  const alt = names.map((n) => n.replace(/[-]/g, "\\-")).join("|");
  const re = new RegExp(`(?:[!=]==?\\s*"(?:${alt})"|"(?:${alt})"\\s*[!=]==?|case\\s+"(?:${alt})")`, "g");
  return [...files].filter(([f]) => !isFamily(f)).flatMap(([f, text]) => [...text.matchAll(re)].map((m) => `${f}: ${m[0]}`));
}

describe("architecture", () => {
  const files = sources();
  const graph = importGraph(files);

  it("reads the import graph (sanity: the registry imports the families and the ops)", () => {
    expect(graph.get("kernels/registry.ts")).toEqual(expect.arrayContaining(["kernels/portable/index.ts", "kernels/dsp/index.ts", "kernels/cmsis_nn/index.ts", "compiler/ops/index.ts"]));
    expect(files.size).toBeGreaterThan(80);
  });

  it("no op module imports a kernel family or the code generator", () => {
    expect(opsImportingKernels(graph)).toEqual([]);
    // Control: an op importing a family is caught.
    const broken = new Map(graph);
    broken.set("compiler/ops/conv2d.ts", [...graph.get("compiler/ops/conv2d.ts")!, "kernels/cmsis_nn/conv.ts"]);
    expect(opsImportingKernels(broken)).toEqual(["compiler/ops/conv2d.ts -> kernels/cmsis_nn/conv.ts"]);
  });

  it("no import cycle joins the ops and the families", () => {
    expect(opFamilyCycles(graph)).toEqual([]);
    // Control: an op importing the registry back closes a cycle, and it is found.
    const broken = new Map(graph);
    broken.set("compiler/ops/add.ts", [...graph.get("compiler/ops/add.ts")!, "kernels/registry.ts"]);
    expect(opFamilyCycles(broken).length).toBe(1);
  });

  it("a family's C kernels are called only from its own folder", () => {
    expect(kernelNamesOutside(files)).toEqual([]);
    expect(kernelNamesOutside(new Map([["compiler/ops/add.ts", "emit(`arm_elementwise_add_s8(a, b)`);"]]))).toEqual(["compiler/ops/add.ts: arm_elementwise_add_s8("]);
  });

  it("nothing outside src/kernels switches on a backend name", () => {
    const names = FAMILIES.map((f) => f.name);
    expect(backendSwitches(files, names)).toEqual([]);
    expect(backendSwitches(new Map([["compile.ts", 'if (backend === "cmsis-nn") x();']]), names)).toEqual(['compile.ts: === "cmsis-nn"']);
  });

  it("every family's fallback chain ends in a family that runs every op with a kernel", () => {
    // Views need no kernel; ops that read only static shapes always fold to constants.
    const kinds: OpKind[] = OPS.filter((m) => !m.aliasesInput && !m.readsShapeOnly).map((m) => m.kind as OpKind);
    for (const f of FAMILIES) {
      let last = f as (typeof FAMILIES)[number];
      while (last.fallback) last = FAMILIES.find((x) => x.name === last.fallback)!;
      expect(kinds.filter((k) => typeof last.kernels[k] !== "object"), `${f.name} → ${last.name}`).toEqual([]);
    }
  });
});
