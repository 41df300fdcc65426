/**
 * Whole-file skeletons (templates/model/*.in) with named placeholders: an
 * inline `{{name}}` becomes its value; a line holding only `{{name}}` (after
 * indentation) becomes the value's lines, each non-empty one indented the
 * same, or nothing when the value is empty. Templates hold no logic.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../paths.js";
import { assert } from "../diagnostics.js";

const cache = new Map<string, string>();

/** The skeleton `name` (a file in templates/model) filled with `values`; every placeholder must have a value and every value a placeholder. */
export function fillTemplate(name: string, values: Readonly<Record<string, string>>): string {
  let text = cache.get(name);
  if (text === undefined) cache.set(name, (text = readFileSync(join(packageRoot(), "templates", "model", name), "utf8")));
  const used = new Set<string>();
  const value = (key: string) => {
    assert(key in values, `template ${name} has a placeholder {{${key}}} with no value`);
    used.add(key);
    return values[key]!;
  };
  const lines = text.split("\n").flatMap((line) => {
    const whole = /^(\s*)\{\{(\w+)\}\}$/.exec(line);
    if (!whole) return [line.replace(/\{\{(\w+)\}\}/g, (_, key: string) => value(key))];
    const v = value(whole[2]!);
    return v === "" ? [] : v.split("\n").map((l) => (l === "" ? "" : whole[1]! + l));
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  assert(unused.length === 0, `template ${name} has no placeholder for ${unused.join(", ")}`);
  return lines.join("\n");
}
