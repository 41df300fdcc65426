/** Exit codes, computed in one place: 0 ok, 1 a check failed (mismatch, over budget), 2 bad input or tool error. */
import type { CommanderError } from "commander";
import { TinycError, formatDiagnostic } from "../diagnostics.js";

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_ERROR = 2;

export function reportError(e: unknown, json: boolean): number {
  if (e instanceof TinycError) {
    if (json) {
      const d = e.diagnostics[0]!;
      process.stdout.write(JSON.stringify({
        error: { code: d.code, message: d.message, file: d.file ?? null, op: d.op ?? null, tensor: d.tensor ?? null },
        errors: e.diagnostics.map((x) => ({ code: x.code, message: x.message, file: x.file ?? null, op: x.op ?? null, tensor: x.tensor ?? null })),
      }) + "\n");
    } else {
      process.stderr.write(e.diagnostics.map(formatDiagnostic).join("\n") + "\n");
    }
    return EXIT_ERROR;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (json) process.stdout.write(JSON.stringify({ error: { code: "internal", message, file: null, op: null } }) + "\n");
  else process.stderr.write(`tinyc: internal error: ${message}\n(set TINYC_DEBUG=1 for details; please report this)\n`);
  if (process.env.TINYC_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  return EXIT_ERROR;
}

/** The exit code of the option parser's own stop: 0 after --help or --version, else a usage error (it has printed why). */
export function usageExit(e: CommanderError): number {
  return e.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
}
