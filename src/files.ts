/**
 * Writing the user's files: a folder that cannot be made or a file that
 * cannot be written (a path through a file, no permission, a full disk) is a
 * coded error naming the path and the system's reason, not an internal error.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fail } from "./diagnostics.js";

/** The system's reason for a failed file operation: its code (ENOTDIR, EACCES, ...) and message. */
function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code} (${err.message.replace(/^[A-Z]+: /, "").split(",")[0]})` : String(err.message ?? e);
}

/** Makes `dir` and its parents (nothing when it exists); TC104 when it cannot. */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    fail("TC104", "write", { path: dir, reason: reason(e) }, { file: dir });
  }
}

/** Writes `data` to `path`; TC104 when it cannot. */
export function writeFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    fail("TC104", "write", { path, reason: reason(e) }, { file: path });
  }
}
