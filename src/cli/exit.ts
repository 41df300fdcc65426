/**
 * How the CLI ends: 0 ok, 1 a check failed (mismatch, over budget), 2 bad input,
 * bad usage or tool error. A diagnostic's exit code comes from its code in the
 * table (src/diagnostics.ts); this file prints diagnostics and picks the code.
 */
import type { CommanderError } from "commander";
import { CODES, TinycError, formatDiagnostic, type Diagnostic } from "../diagnostics.js";

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_ERROR = 2;

/** The exit code for several diagnostics: the most serious one's (2 if any is 2). */
export function exitCodeOf(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.length === 0) return EXIT_ERROR;
  return Math.max(...diagnostics.map((d) => CODES[d.code].exit));
}

/** A diagnostic as --json prints it: every field present, null where it does not apply. */
export function diagnosticJson(d: Diagnostic): { code: string; message: string; file: string | null; op: number | null; tensor: string | null } {
  return { code: d.code, message: d.message, file: d.file ?? null, op: d.op ?? null, tensor: d.tensor ?? null };
}

/**
 * The end of a check the user asked for (check, run), whose report is printed
 * already: its failure, if any, goes to stderr in text mode (the --json report
 * carries it as `error`), and sets the exit code.
 */
export function checkResult(errors: Diagnostic | readonly Diagnostic[] | undefined, json: boolean): number {
  const list = errors === undefined ? [] : Array.isArray(errors) ? errors : [errors as Diagnostic];
  if (list.length === 0) return EXIT_OK;
  if (!json) process.stderr.write(list.map(formatDiagnostic).join("\n") + "\n");
  return exitCodeOf(list);
}

export function reportError(e: unknown, json: boolean): number {
  if (e instanceof TinycError) {
    if (json) {
      process.stdout.write(JSON.stringify({ error: diagnosticJson(e.diagnostics[0]!), errors: e.diagnostics.map(diagnosticJson) }) + "\n");
    } else {
      process.stderr.write(e.diagnostics.map(formatDiagnostic).join("\n") + "\n");
    }
    return exitCodeOf(e.diagnostics);
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
