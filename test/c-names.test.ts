/**
 * Strings from the model reach the generated C only through comments (escaped)
 * and sanitised symbols: tensor names that converters fill with anything must
 * neither inject code nor break a -Wall -Wextra -Werror build.
 */
import { describe, expect, test } from "vitest";
import { compile } from "../src/compile.js";
import { buildFiles } from "../src/codegen/build_files.js";
import { exampleMain } from "../src/codegen/example.js";
import { loadTarget } from "../src/targets.js";
import { GraphBuilder, mismatches, Random, type HostCase } from "./host-kernels.js";

const HOSTILE = ["*/ int injected = 1; /*", "a/*b", "c??/", "line\nbreak */ #error no", "tab\tand\\backslash??/\n", "quote\"'; /* // */"];

function relu(name: string, inputName: string, outputName: string) {
  const b = new GraphBuilder();
  const x = b.activation(inputName, [1, 2, 2, 3], 0.1, 1);
  const y = b.activation(outputName, [1, 2, 2, 3], 0.1, 1);
  return b.graph(name, { kind: "RELU", inputs: [x], outputs: [y], options: {} }, x, y);
}

describe("model strings in the generated C", () => {
  test("hostile tensor and model names compile warning-free and stay comments", async () => {
    const r = new Random(2);
    const cases: HostCase[] = HOSTILE.map((s, i) => ({ graph: relu(`${s}${i}`, s, `${s}out`), input: r.int8s(12) }));
    for (const [i, k] of cases.entries()) {
      const c = compile(k.graph);
      // main.c (--example) names the model and its inputs in comments too, on a part and on the host.
      const text = c.generated.source + c.generated.header + exampleMain(c) + exampleMain({ ...c, target: loadTarget("host") });
      // Outside comments no fragment of a name survives; inside, no comment delimiter or trigraph.
      const comments = [...text.matchAll(/\/\*([\s\S]*?)\*\//g)].map((m) => m[1]!);
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "");
      expect(code).not.toMatch(/injected =|#error|\?\?/);
      for (const c of comments) expect(c).not.toMatch(/\/\*|\?\?|\n/);
      // The build files carry the model name in a comment line too.
      for (const f of Object.values(buildFiles(c))) for (const line of f.split("\n").filter((l) => l.includes("break */"))) expect(line).toMatch(/^# /);
      if (i === 0) expect(comments.some((c) => c.includes("* / int injected = 1; / *"))).toBe(true); // kept, defused
    }
    // The host build runs with -Wall -Wextra -Werror -std=c99.
    expect(await mismatches(cases)).toEqual([]);
  });
});
