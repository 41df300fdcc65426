/** Where tinyc's own files (templates, targets) live, from source or from dist. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("tinyc internal error: cannot find tinyc's package root");
    dir = up;
  }
  return (root = dir);
}

export function templatesDir(): string {
  return join(packageRoot(), "templates", "c");
}
