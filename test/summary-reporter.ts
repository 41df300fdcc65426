/**
 * Ends every test run with the line `N passed, N failed, N skipped`, after
 * listing each skipped test with the reason it gave (ctx.skip(reason)).
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0, failed = unhandledErrors.length, skipped = 0;
    const notes: string[] = [];
    for (const m of testModules) {
      if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++; // a file that did not load
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === "passed") passed++;
        else if (r.state === "failed") failed++;
        else {
          skipped++;
          notes.push(`skipped: ${t.fullName} — ${(r.state === "skipped" && r.note) || "no reason given"}`);
        }
      }
    }
    process.stdout.write(`\n${notes.join("\n")}${notes.length ? "\n" : ""}${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
