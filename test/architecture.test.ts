/**
 * The seams the code is built along, checked on the syntax tree of src/ with
 * ts-morph (parsed only, never type-checked):
 *
 *  1. layers: a file imports only files of its own layer or an earlier one,
 *     and every file belongs to a layer;
 *  2. no import cycle between files, nor between top-level folders;
 *  3. the lowering, planner, code generator and reports never name an op kind
 *     (no "CONV_2D" literal, no `switch (x.kind)`): they ask the op modules;
 *  4. no function is longer than MAX_FUNCTION_LINES lines;
 *  5. op modules own semantics only and import no kernel family nor the code
 *     generator; no cycle joins ops and families; a family's C kernels are
 *     named only inside its folder; nothing outside src/kernels compares
 *     backend names; every fallback chain ends in a complete family;
 *  6. after lowering, facts only: the planner, the code generator and the
 *     reports import neither the kernel registry nor the op registry (a
 *     type-only import names a type, it asks nothing), no planner function
 *     takes a backend or a target, and the planner's entry file stays short.
 *
 * The rules are data, just below. Each check is also run on a small made-up
 * tree that breaks it (test/fixtures/architecture/src, files named *.ts.txt so
 * that no build compiles them), and must report exactly its violations there.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, resolve } from "node:path";
import { Node, Project, SyntaxKind, type KindToNodeMappings, type SourceFile } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { OpKind } from "../src/compiler/ir.js";

// ---------------------------------------------------------------- the rules

/**
 * Rule 1: the layers, earliest first. A path ending in "/" is a folder prefix,
 * any other path is one file; both are relative to src/. A file belongs to the
 * first layer that matches it.
 */
const LAYERS: readonly { readonly name: string; readonly paths: readonly string[] }[] = [
  {
    name: "base",
    paths: [
      "diagnostics.ts", "paths.ts", "version.ts", "targets.ts", "memory_options.ts", "inputs.ts", "files.ts",
      "compiler/ir.ts", "compiler/numerics/", "compiler/tflite/schema.ts", "compiler/tflite/flat.ts", "compiler/tflite/options.ts",
    ],
  },
  { name: "ops", paths: ["compiler/ops/"] },
  { name: "kernels", paths: ["kernels/"] },
  { name: "front", paths: ["compiler/tflite/reader.ts", "compiler/tflite/writer.ts", "compiler/passes/", "compiler/reference.ts"] },
  { name: "lower", paths: ["lower/"] },
  { name: "planner", paths: ["memplan/"] },
  { name: "codegen", paths: ["codegen/", "compile.ts"] },
  { name: "reports", paths: ["reports/"] },
  { name: "run", paths: ["emulator/", "run.ts", "budget.ts", "analyze.ts"] },
  { name: "zoo", paths: ["zoo/"] },
  { name: "cli", paths: ["cli/", "bench/", "examples.ts", "index.ts"] },
];

/** Rule 3: folders that must not name an op kind. */
const NO_OP_KIND_FOLDERS = ["lower/", "memplan/", "codegen/", "reports/"];

/** Rule 4: the longest a function may be, first to last line inclusive. */
const MAX_FUNCTION_LINES = 80;

/** Rule 5: where the ops, the kernel families and the code generator (before and after the restructuring) live. */
const OPS_FOLDER = "compiler/ops/";
const FAMILIES_FOLDER = "kernels/";
const CODEGEN_FOLDERS = ["compiler/codegen/", "codegen/"];

/** Rule 5: C kernel calls (in strings and templates) and the only folder that may emit each. */
const KERNEL_OWNERS: readonly (readonly [RegExp, string])[] = [
  [/\barm_[a-z0-9_]+\(/g, "kernels/cmsis_nn/"],
  [/\btinyc_dsp_[a-z0-9_]+_s8\w*\(/g, "kernels/dsp/"],
  [/\btinyc_(?!dsp_)[a-z0-9_]+_(s8|f32)\w*\(/g, "kernels/portable/"],
];

/** Rule 6: folders that read lowered facts only, and the registries they must not ask. */
const FACTS_ONLY_FOLDERS = ["memplan/", "codegen/", "reports/"];
const REGISTRIES = ["kernels/registry.ts", "compiler/ops/index.ts"];
/** Rule 6: the planner's folder, whose functions take no backend or target. */
const PLANNER_FOLDER = "memplan/";
/** Rule 6: the planner's entry file and the most lines it may have. */
const PLAN_FILE = "memplan/plan.ts";
const MAX_PLAN_LINES = 150;

// ---------------------------------------------------------------- loading trees

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");
const FIXTURE = join(ROOT, "test", "fixtures", "architecture", "src");

/** A parsed source tree: its files by path relative to its root ("/" separators), and the import edges between them. */
interface Tree {
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly imports: ReadonlyMap<string, readonly string[]>;
}

/** The src/ tree, parsed from disk without type checking or resolving dependencies. */
function loadSrc(): Tree {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: false },
  });
  project.addSourceFilesAtPaths(`${SRC}/**/*.ts`);
  return treeOf(project, SRC);
}

/** The fixture tree: every `x.ts.txt` under FIXTURE, as `/src/x.ts` in an in-memory project. */
function loadFixture(): Tree {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: false } });
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts.txt")) {
        project.createSourceFile(posix.join("/src", relative(FIXTURE, p).replace(/\.txt$/, "")), readFileSync(p, "utf8"));
      }
    }
  };
  walk(FIXTURE);
  return treeOf(project, "/src");
}

/** The project's .ts files under root, keyed by relative path, with their import graph. */
function treeOf(project: Project, root: string): Tree {
  const files = new Map<string, SourceFile>();
  for (const sf of project.getSourceFiles()) {
    const rel = posix.relative(root, sf.getFilePath());
    if (!rel.startsWith("..") && rel.endsWith(".ts")) files.set(rel, sf);
  }
  const sorted = new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
  const imports = new Map<string, string[]>();
  for (const [rel, sf] of sorted) {
    const targets = moduleSpecifiers(sf).map((spec) => resolveImport(rel, spec, sorted));
    imports.set(rel, [...new Set(targets.filter((t): t is string => t !== undefined))]);
  }
  return { files: sorted, imports };
}

/**
 * Every module a file names: import and `export ... from` declarations (type-only
 * ones included), `import("...")` calls, and `import("...").T` types.
 */
function moduleSpecifiers(sf: SourceFile): string[] {
  const specs: (string | undefined)[] = [
    ...sf.getImportDeclarations().map((d) => d.getModuleSpecifierValue()),
    ...sf.getExportDeclarations().map((d) => d.getModuleSpecifierValue()),
    ...nodesOfKind(sf, SyntaxKind.CallExpression)
      .filter((c) => c.getExpression().getKind() === SyntaxKind.ImportKeyword)
      .map((c) => literalText(c.getArguments()[0])),
    ...nodesOfKind(sf, SyntaxKind.ImportType).map((t) => {
      const arg = t.getArgument();
      return Node.isLiteralTypeNode(arg) ? literalText(arg.getLiteral()) : undefined;
    }),
  ];
  return specs.filter((s): s is string => s !== undefined);
}

/** The value of a plain string literal (quoted, or a template without substitutions), else undefined. */
function literalText(node: Node | undefined): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) ? node.getLiteralText() : undefined;
}

/** The tree file a relative specifier names (`./x.js` → `x.ts`), or undefined for packages and missing files. */
function resolveImport(from: string, spec: string, files: ReadonlyMap<string, unknown>): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const p = posix.normalize(posix.join(posix.dirname(from), spec));
  return [p.replace(/\.js$/, ".ts"), p, `${p}.ts`, `${p}/index.ts`].find((c) => files.has(c));
}

/** The op kinds, from the op registry (imported lazily, so a broken import fails only the tests that need it). */
async function opKinds(): Promise<Set<string>> {
  const { OPS } = await import("../src/compiler/ops/index.js");
  return new Set(OPS.map((m) => m.kind));
}

/** The kernel families, from the registry (imported lazily, like the ops). */
async function families() {
  return (await import("../src/kernels/registry.js")).FAMILIES;
}

// ---------------------------------------------------------------- syntax helpers

/** Each file's nodes grouped by kind, in source order, from one walk per file. */
const nodeIndex = new WeakMap<SourceFile, Map<SyntaxKind, Node[]>>();

/**
 * A file's nodes of one kind, in source order. Indexed once per file: ts-morph's
 * own getDescendantsOfKind rescans the tokens on every call, which is slow.
 */
function nodesOfKind<K extends SyntaxKind>(sf: SourceFile, kind: K): KindToNodeMappings[K][] {
  let index = nodeIndex.get(sf);
  if (!index) {
    const built = new Map<SyntaxKind, Node[]>();
    sf.forEachDescendant((n) => {
      const list = built.get(n.getKind());
      if (list) list.push(n);
      else built.set(n.getKind(), [n]);
    });
    nodeIndex.set(sf, (index = built));
  }
  return (index.get(kind) ?? []) as KindToNodeMappings[K][];
}

/** A string literal or any literal part of a template, with its text. */
type StringPart = { readonly node: Node; readonly text: string };

/** Every string literal and template part (head, middle, tail or whole) in a file. Comments hold none. */
function stringParts(sf: SourceFile): StringPart[] {
  const kinds = [
    SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral,
    SyntaxKind.TemplateHead, SyntaxKind.TemplateMiddle, SyntaxKind.TemplateTail,
  ] as const;
  return kinds
    .flatMap((k) => nodesOfKind(sf, k))
    .map((node) => ({ node, text: node.getLiteralText() }))
    .sort((a, b) => a.node.getStart() - b.node.getStart());
}

/** `file:line` of a node, the file relative to its tree's root. */
const at = (file: string, node: Node): string => `${file}:${node.getStartLineNumber()}`;

/** The functions of a file: declarations, methods, arrow functions and function expressions. */
function functionsOf(sf: SourceFile): Node[] {
  const kinds = [SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression] as const;
  return kinds.flatMap((k) => nodesOfKind(sf, k) as Node[]).sort((a, b) => a.getStart() - b.getStart());
}

/** A function's name, or the name it is assigned to (variable, property), else "(anonymous)". */
function functionName(fn: Node): string {
  const own = Node.isFunctionDeclaration(fn) || Node.isMethodDeclaration(fn) || Node.isFunctionExpression(fn) ? fn.getName() : undefined;
  if (own) return own;
  const parent = fn.getParent();
  if (Node.isVariableDeclaration(parent) || Node.isPropertyAssignment(parent) || Node.isPropertyDeclaration(parent)) return parent.getName();
  return "(anonymous)";
}

/** Strongly connected components with more than one node (Tarjan), each sorted, in a stable order. */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

// ---------------------------------------------------------------- rule 1: layers

/** The index in LAYERS of the layer a file belongs to, or -1. */
function layerOf(file: string): number {
  return LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
}

/** Files in no layer, and imports of a later layer than the importer's. */
function layerViolations(tree: Tree): string[] {
  const out: string[] = [];
  for (const [file, targets] of tree.imports) {
    const from = layerOf(file);
    if (from < 0) {
      out.push(`${file}: unassigned file`);
      continue;
    }
    for (const t of targets) {
      const to = layerOf(t);
      if (to > from) out.push(`${file} -> ${t} (layer ${LAYERS[from]!.name} imports later layer ${LAYERS[to]!.name})`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- rule 2: cycles

/** A file's folder: its first path component, or the file itself when it lies directly in the root. */
const folderOf = (file: string): string => file.split("/")[0]!;

/** Import cycles between files, each named by its members. */
function fileCycles(tree: Tree): string[] {
  return stronglyConnected(tree.imports).map((c) => `cycle: ${c.join(", ")}`);
}

/** Import cycles between folders (imports inside one folder don't count), each named by its members. */
function folderCycles(tree: Tree): string[] {
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of tree.imports) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    for (const t of targets) if (folderOf(t) !== from) edges.add(folderOf(t));
    graph.set(from, edges);
  }
  return stronglyConnected(new Map([...graph].map(([k, v]) => [k, [...v]]))).map((c) => `cycle: ${c.join(", ")}`);
}

// ---------------------------------------------------------------- rule 3: op kinds

/** Op-kind literals and switches over `.kind` in the folders that must ask the op modules instead. */
function opKindUses(tree: Tree, kinds: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const [file, sf] of tree.files) {
    if (!NO_OP_KIND_FOLDERS.some((f) => file.startsWith(f))) continue;
    const hits: { node: Node; message: string }[] = [];
    for (const { node, text } of stringParts(sf)) if (kinds.has(text)) hits.push({ node, message: `"${text}"` });
    for (const sw of nodesOfKind(sf, SyntaxKind.SwitchStatement)) {
      if (endsInKind(sw.getExpression())) hits.push({ node: sw, message: `switch (${sw.getExpression().getText()})` });
    }
    hits.sort((a, b) => a.node.getStart() - b.node.getStart());
    out.push(...hits.map((h) => `${at(file, h.node)}: ${h.message}`));
  }
  return out;
}

/** Whether an expression reads a `.kind` property (through parentheses, `!` and `?.`). */
function endsInKind(e: Node): boolean {
  while (Node.isParenthesizedExpression(e) || Node.isNonNullExpression(e)) e = e.getExpression();
  return Node.isPropertyAccessExpression(e) && e.getName() === "kind";
}

// ---------------------------------------------------------------- rule 4: function length

/** Functions longer than MAX_FUNCTION_LINES, with where they start and how long they are. */
function longFunctions(tree: Tree): string[] {
  const out: string[] = [];
  for (const [file, sf] of tree.files) {
    for (const fn of functionsOf(sf)) {
      const lines = fn.getEndLineNumber() - fn.getStartLineNumber() + 1;
      if (lines > MAX_FUNCTION_LINES) out.push(`${at(file, fn)} ${functionName(fn)} (${lines} lines)`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- rule 5: ops and families

const isOp = (f: string): boolean => f.startsWith(OPS_FOLDER);
const isFamily = (f: string): boolean => f.startsWith(FAMILIES_FOLDER);

/** Op modules that import a kernel family or the code generator. */
function opsImportingKernels(tree: Tree): string[] {
  const banned = (t: string): boolean => isFamily(t) || CODEGEN_FOLDERS.some((f) => t.startsWith(f));
  return [...tree.imports].filter(([f]) => isOp(f)).flatMap(([f, ts]) => ts.filter(banned).map((t) => `${f} -> ${t}`));
}

/** File cycles that contain both an op module and a kernel family file. */
function opFamilyCycles(tree: Tree): string[] {
  return stronglyConnected(tree.imports).filter((c) => c.some(isOp) && c.some(isFamily)).map((c) => `cycle: ${c.join(", ")}`);
}

/** A C kernel call found in a string or template: where, what, and the folder that owns it. */
type KernelCall = { readonly file: string; readonly node: Node; readonly call: string; readonly owner: string };

/** Every C kernel call (arm_*(, tinyc_*_s8( ...) in the tree's strings and templates. */
function kernelCalls(tree: Tree): KernelCall[] {
  const out: KernelCall[] = [];
  for (const [file, sf] of tree.files) {
    for (const { node, text } of stringParts(sf)) {
      for (const [re, owner] of KERNEL_OWNERS) for (const m of text.matchAll(re)) out.push({ file, node, call: m[0], owner });
    }
  }
  return out;
}

/** C kernel calls outside the folder of the family that owns them. */
function kernelCallsOutside(tree: Tree): string[] {
  return kernelCalls(tree).filter((c) => !c.file.startsWith(c.owner)).map((c) => `${at(c.file, c.node)}: ${c.call}`);
}

/** Comparisons (`===`, `!==`, `==`, `!=`, `case`) against a backend name outside the families' folder. */
function backendComparisons(tree: Tree, names: readonly string[]): string[] {
  const isName = (n: Node | undefined): boolean => names.includes(literalText(n) ?? "");
  const equality = [SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken];
  const out: string[] = [];
  for (const [file, sf] of tree.files) {
    if (isFamily(file)) continue;
    for (const b of nodesOfKind(sf, SyntaxKind.BinaryExpression)) {
      const op = b.getOperatorToken();
      if (!equality.includes(op.getKind())) continue;
      const name = [b.getLeft(), b.getRight()].find(isName);
      if (name) out.push(`${at(file, b)}: ${op.getText()} ${name.getText()}`);
    }
    for (const c of nodesOfKind(sf, SyntaxKind.CaseClause)) {
      if (isName(c.getExpression())) out.push(`${at(file, c)}: case ${c.getExpression().getText()}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------- rule 6: facts only after lowering

/** Value imports (not type-only) of a registry from the folders that read lowered facts only. */
function registryQuestions(tree: Tree): string[] {
  const out: string[] = [];
  for (const [file, sf] of tree.files) {
    if (!FACTS_ONLY_FOLDERS.some((f) => file.startsWith(f))) continue;
    for (const d of sf.getImportDeclarations()) {
      const target = resolveImport(file, d.getModuleSpecifierValue(), tree.files);
      const typeOnly = d.isTypeOnly() || (d.getNamedImports().length > 0 && d.getNamedImports().every((n) => n.isTypeOnly()) && !d.getDefaultImport() && !d.getNamespaceImport());
      if (target && REGISTRIES.includes(target) && !typeOnly) out.push(`${file} -> ${target}`);
    }
  }
  return out;
}

/** Parameters of planner functions named or typed as a backend or a target. */
function backendOrTargetParameters(tree: Tree): string[] {
  const out: string[] = [];
  for (const [file, sf] of tree.files) {
    if (!file.startsWith(PLANNER_FOLDER)) continue;
    for (const p of nodesOfKind(sf, SyntaxKind.Parameter)) {
      const type = p.getTypeNode()?.getText() ?? "";
      if (/^(backend|target)$/i.test(p.getName()) || /\b(Backend|Target)\b/.test(type)) out.push(`${at(file, p)}: ${p.getText()}`);
    }
  }
  return out;
}

/** The file, when it has more than `max` lines. */
function longerThan(tree: Tree, file: string, max: number): string[] {
  const lines = tree.files.get(file)?.getEndLineNumber() ?? 0;
  return lines > max ? [`${file}: ${lines} lines`] : [];
}

// ---------------------------------------------------------------- the tests

describe("architecture", () => {
  const src = loadSrc();
  const fixture = loadFixture();

  describe("reading the trees", () => {
    it("src/: the registry imports the families and the ops", () => {
      expect(src.files.size).toBeGreaterThan(80);
      expect(src.imports.get("kernels/registry.ts")).toEqual(
        expect.arrayContaining(["kernels/portable/index.ts", "kernels/dsp/index.ts", "kernels/cmsis_nn/index.ts", "compiler/ops/index.ts"]),
      );
    });

    it("src/: the string scan finds every family's C kernel calls", () => {
      expect(new Set(kernelCalls(src).map((c) => c.owner))).toEqual(new Set(KERNEL_OWNERS.map(([, owner]) => owner)));
    });

    it("fixture: every import form is an edge (import, import type, export from, import(), import() type)", () => {
      expect(fixture.files.size).toBe(21);
      expect(fixture.imports.get("memplan/bad.ts")).toEqual(["cli/x.ts", "zoo/y.ts", "run.ts", "reports/d.ts", "examples.ts"]);
    });
  });

  describe("1. layers: imports point to the same or an earlier layer, and every file has a layer", () => {
    it("control: the fixture's violations are caught", () => {
      expect(layerViolations(fixture)).toEqual([
        "codegen/c.ts -> reports/d.ts (layer codegen imports later layer reports)",
        "compiler/codegen/old.ts: unassigned file",
        "compiler/ops/conv.ts -> kernels/k.ts (layer ops imports later layer kernels)",
        "compiler/ops/conv.ts -> codegen/c.ts (layer ops imports later layer codegen)",
        "memplan/bad.ts -> cli/x.ts (layer planner imports later layer cli)",
        "memplan/bad.ts -> zoo/y.ts (layer planner imports later layer zoo)",
        "memplan/bad.ts -> run.ts (layer planner imports later layer run)",
        "memplan/bad.ts -> reports/d.ts (layer planner imports later layer reports)",
        "memplan/bad.ts -> examples.ts (layer planner imports later layer cli)",
        "stray.ts: unassigned file",
      ]);
    });

    it("src/", () => {
      expect(layerViolations(src)).toEqual([]);
    });
  });

  describe("2. no import cycles between files or between folders", () => {
    it("control: the fixture's cycles are caught", () => {
      expect(fileCycles(fixture)).toEqual(["cycle: compiler/ops/conv.ts, kernels/k.ts", "cycle: lower/a.ts, lower/b.ts"]);
      expect(folderCycles(fixture)).toEqual(["cycle: codegen, reports", "cycle: compiler, kernels"]);
    });

    it("src/: files", () => {
      expect(fileCycles(src)).toEqual([]);
    });

    it("src/: folders", () => {
      expect(folderCycles(src)).toEqual([]);
    });
  });

  describe("3. lower/, memplan/, codegen/ and reports/ name no op kind", () => {
    it("control: the fixture's literals and switch are caught, comments and other folders are not", async () => {
      expect(opKindUses(fixture, await opKinds())).toEqual([
        'memplan/bad.ts:13: "CONV_2D"',
        "memplan/bad.ts:14: switch (node.kind)",
        'memplan/bad.ts:15: "ADD"',
      ]);
    });

    it("src/", async () => {
      expect(opKindUses(src, await opKinds())).toEqual([]);
    });
  });

  describe(`4. no function is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    it(`control: ${MAX_FUNCTION_LINES + 1} lines are caught, ${MAX_FUNCTION_LINES} are not`, () => {
      expect(longFunctions(fixture)).toEqual(["zoo/long.ts:3 tooLong (81 lines)", "zoo/long.ts:167 step (81 lines)"]);
    });

    it("src/", () => {
      expect(longFunctions(src)).toEqual([]);
    });
  });

  describe("5. ops and kernel families", () => {
    it("control: an op importing a family or the code generator (either place) is caught", () => {
      expect(opsImportingKernels(fixture)).toEqual([
        "compiler/ops/conv.ts -> kernels/k.ts",
        "compiler/ops/conv.ts -> codegen/c.ts",
        "compiler/ops/conv.ts -> compiler/codegen/old.ts",
      ]);
    });

    it("src/: no op module imports a kernel family or the code generator", () => {
      expect(opsImportingKernels(src)).toEqual([]);
    });

    it("control: a cycle through an op and a family is caught", () => {
      expect(opFamilyCycles(fixture)).toEqual(["cycle: compiler/ops/conv.ts, kernels/k.ts"]);
    });

    it("src/: no import cycle joins the ops and the families", () => {
      expect(opFamilyCycles(src)).toEqual([]);
    });

    it("control: C kernel calls outside their family's folder are caught, comments and the owner are not", () => {
      expect(kernelCallsOutside(fixture)).toEqual(["codegen/c.ts:6: arm_convolve_s8(", "kernels/cmsis_nn/conv.ts:3: tinyc_dsp_conv_s8("]);
    });

    it("src/: a family's C kernels are called only from its own folder", () => {
      expect(kernelCallsOutside(src)).toEqual([]);
    });

    it("control: backend comparisons outside src/kernels are caught, a plain mention is not", async () => {
      const names = (await families()).map((f) => f.name);
      expect(backendComparisons(fixture, names)).toEqual(['run.ts:5: === "cmsis-nn"', 'run.ts:7: case "dsp"']);
    });

    it("src/: nothing outside src/kernels compares against a backend name", async () => {
      const names = (await families()).map((f) => f.name);
      expect(backendComparisons(src, names)).toEqual([]);
    });

    it("every family's fallback chain ends in a family that runs every op with a kernel", async () => {
      const { OPS } = await import("../src/compiler/ops/index.js");
      const all = await families();
      // Views need no kernel; ops that read only static shapes always fold to constants.
      const kinds: OpKind[] = OPS.filter((m) => !m.aliasesInput && !m.readsShapeOnly).map((m) => m.kind as OpKind);
      for (const f of all) {
        let last = f as (typeof all)[number];
        while (last.fallback) last = all.find((x) => x.name === last.fallback)!;
        expect(kinds.filter((k) => typeof last.kernels[k] !== "object"), `${f.name} → ${last.name}`).toEqual([]);
      }
    });
  });

  describe("6. after lowering, facts only", () => {
    it("control: registry imports, backend and target parameters are caught; a type-only import is not", () => {
      expect(registryQuestions(fixture)).toEqual(["memplan/asks.ts -> kernels/registry.ts", "memplan/asks.ts -> compiler/ops/index.ts"]);
      expect(backendOrTargetParameters(fixture)).toEqual([
        "memplan/asks.ts:6: backend: Backend",
        "memplan/asks.ts:6: where: Target",
        "memplan/asks.ts:10: target: string",
      ]);
    });

    it("src/: the planner, the code generator and the reports ask no registry", () => {
      expect(registryQuestions(src)).toEqual([]);
    });

    it("src/: no planner function takes a backend or a target", () => {
      expect(backendOrTargetParameters(src)).toEqual([]);
    });

    it(`control: a file one line over its limit is caught, at its limit it is not`, () => {
      const lines = fixture.files.get("zoo/long.ts")!.getEndLineNumber();
      expect(longerThan(fixture, "zoo/long.ts", lines)).toEqual([]);
      expect(longerThan(fixture, "zoo/long.ts", lines - 1)).toEqual([`zoo/long.ts: ${lines} lines`]);
    });

    it(`src/: ${PLAN_FILE} has at most ${MAX_PLAN_LINES} lines`, () => {
      expect(longerThan(src, PLAN_FILE, MAX_PLAN_LINES)).toEqual([]);
    });
  });
});
