/**
 * One temporary folder per test run: every test's scratch folder (they make
 * them with mkdtemp in the system's temporary folder) lands in it, and it is
 * removed when the run ends, so runs leave nothing behind. The compiled
 * object cache stays in the real temporary folder, shared between runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const base = tmpdir();
  process.env.TINYC_CACHE_DIR ??= join(base, "tinyc-object-cache");
  const root = mkdtempSync(join(base, "tinyc-test-run-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
