/**
 * The diagnostics table: well-formed templates, rendering that refuses a
 * missing or an extra value, every code raised somewhere in src/, and each
 * code's exit code (1 for a check the user asked for, 2 for everything else).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CODES, diagnostic, fail, formatDiagnostic, renderMessage, type Code } from "../src/diagnostics.js";
import { exitCodeOf } from "../src/cli/exit.js";
import { ROOT } from "./helpers.js";

const SRC = join(ROOT, "src");
const codes = Object.keys(CODES) as Code[];
const templates = codes.flatMap((code) => Object.entries(CODES[code].messages).map(([name, template]) => ({ code, name, template: template as string })));

/** Every TypeScript file under src/ but the table itself, as text. */
function sources(): string[] {
  return (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && f !== "diagnostics.ts")
    .map((f) => readFileSync(join(SRC, f), "utf8"));
}

/** The codes no source names as a string literal ("TC123"): nothing raises them. */
function unraised(names: readonly string[], texts: readonly string[]): string[] {
  return names.filter((code) => !texts.some((t) => t.includes(`"${code}"`)));
}

describe("the diagnostics table", () => {
  test("has templates with well-formed placeholders, under camelCase names", () => {
    expect(templates.length).toBeGreaterThan(100);
    for (const { code, name, template } of templates) {
      expect(name, code).toMatch(/^[a-z][A-Za-z0-9]*$/);
      // Once every {name} is taken out, no brace is left: none is unbalanced, empty or oddly named.
      expect(template.replace(/\{[a-z][A-Za-z0-9]*\}/g, ""), `${code} ${name}`).not.toMatch(/[{}]/);
      expect(template.trim(), `${code} ${name}`).toBe(template);
    }
    for (const code of codes) {
      expect(code).toMatch(/^TC\d{3}$/);
      expect(CODES[code].title, code).not.toBe("");
      expect(Object.keys(CODES[code].messages).length, code).toBeGreaterThan(0);
    }
  });

  test("renders a template with exactly its values", () => {
    const d = diagnostic("TC117", "shape", { role: "output", shape: "1, 2", expected: "1, 3" }, { file: "m.tflite", op: 4, tensor: "y" });
    expect(d).toEqual({ code: "TC117", message: "output has shape [1, 2]; the op computes [1, 3]", file: "m.tflite", op: 4, tensor: "y" });
    expect(formatDiagnostic(d)).toBe("error TC117 (inconsistent shapes) in m.tflite, op 4, tensor 'y': output has shape [1, 2]; the op computes [1, 3]");
    // A placeholder may appear twice; numbers print as template literals print them.
    expect(renderMessage("TC110", "compileTimeOnly", { kind: "SHAPE", tensor: "x", dtype: "int8" })).toMatch(/^SHAPE runs only .* no kernel family runs SHAPE on it$/);
    expect(renderMessage("TC114", "oversized", { shape: "1", elements: 1e9, max: 2 ** 26, maxMi: 64 })).toBe(
      "tensor has shape [1], 1000000000 elements; tinyc handles at most 67108864 (64 Mi) per tensor");
    expect(() => fail("TC121", "zooOut", {})).toThrow(/^error TC121 \(bad argument\): give -o model.tflite \(or --fit\)$/);
  });

  test("refuses a missing value, an extra value, a value that is neither string nor number, or an unknown template", () => {
    expect(() => renderMessage("TC121", "timeout", {})).toThrow(/tinyc internal error: TC121 message 'timeout' needs a string or number for \{value\}/);
    expect(() => renderMessage("TC121", "timeout", { value: "1", seconds: 2 })).toThrow(/tinyc internal error: .* no placeholder for seconds/);
    expect(() => renderMessage("TC121", "zooOut", { value: 1 })).toThrow(/no placeholder for value/);
    expect(() => renderMessage("TC121", "timeout", { value: undefined })).toThrow(/needs a string or number/);
    expect(() => renderMessage("TC121", "timeout", { value: ["a"] })).toThrow(/needs a string or number/);
    expect(() => renderMessage("TC121", "nothing", {})).toThrow(/TC121 has no message 'nothing'/);
    // A value named like an Object.prototype member is no value.
    expect(() => renderMessage("TC100", "demoModels", Object.create({ dir: "x" }) as Record<string, unknown>)).toThrow(/needs a string or number for \{dir\}/);
  });

  test("every code is raised somewhere in src/", () => {
    const texts = sources();
    expect(texts.length).toBeGreaterThan(50);
    expect(unraised(codes, texts)).toEqual([]);
    // The control: a made-up code that no source names is reported.
    expect(unraised([...codes, "TC199"], texts)).toEqual(["TC199"]);
  });

  test("a failed check the user asked for exits 1, everything else 2", () => {
    const one = codes.filter((c) => CODES[c].exit === 1);
    expect(one).toEqual(["TC131", "TC132", "TC145"]);
    for (const c of codes) expect(CODES[c].exit, c).toBe(one.includes(c) ? 1 : 2);
    const over = diagnostic("TC131", "ram", { over: 1, bytes: 2, budget: 1 });
    const bad = diagnostic("TC121", "inputAndImage", {});
    expect(exitCodeOf([over])).toBe(1);
    expect(exitCodeOf([over, bad])).toBe(2);
    expect(exitCodeOf([bad, over])).toBe(2);
    expect(exitCodeOf([])).toBe(2);
  });
});

/** Never run: the type checker (tsconfig.test.json) checks each call against its code's templates. */
export function typeChecks(): void {
  fail("TC121", "timeout", { value: "x" });
  // @ts-expect-error TC121 has no message "nothing"
  fail("TC121", "nothing", {});
  // @ts-expect-error the message belongs to another code
  fail("TC121", "dynamic", { shape: "1" });
  // @ts-expect-error a value is missing
  fail("TC121", "timeout", {});
  // @ts-expect-error a value has no placeholder
  fail("TC121", "timeout", { value: "x", seconds: 2 });
  // @ts-expect-error a template without placeholders takes no values
  fail("TC121", "zooOut", { value: 1 });
  // @ts-expect-error values are strings or numbers
  fail("TC121", "timeout", { value: undefined });
}
