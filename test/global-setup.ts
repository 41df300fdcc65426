/**
 * One temporary folder per test run: every test's scratch folder (they make
 * them with mkdtemp in the system's temporary folder) lands in it, and it is
 * removed when the run ends, so runs leave nothing behind. The compiled
 * object cache stays in the real temporary folder, shared between runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): (() => void) | undefined {
  // Each vitest project runs the global setup too: the first one makes the folder, the others use it.
  if (process.env.TINYC_TEST_RUN_DIR) return undefined;
  const base = tmpdir();
  process.env.TINYC_CACHE_DIR ??= join(base, "tinyc-object-cache");
  const root = mkdtempSync(join(base, "tinyc-test-run-"));
  process.env.TMPDIR = process.env.TINYC_TEST_RUN_DIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
