/** examples/ is what tinyc generates today: regenerated and compared file by file. */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { writeExamples } from "../src/examples.js";
import { MODELS, ROOT } from "./helpers.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test("examples/ matches the generated C (run `npm run examples` after changing emitted code)", () => {
  const fresh = mkdtempSync(join(tmpdir(), "tinyc-examples-"));
  const written = writeExamples(fresh, MODELS);
  const committed = filesUnder(join(ROOT, "examples")).map((p) => relative(join(ROOT, "examples"), p)).filter((p) => p !== "README.md").sort();
  expect(committed).toEqual(written);
  for (const f of written) {
    const same = readFileSync(join(fresh, f), "utf8") === readFileSync(join(ROOT, "examples", f), "utf8");
    expect(same, `examples/${f} differs from what tinyc generates now`).toBe(true);
  }
});
