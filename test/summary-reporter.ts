/**
 * Ends every test run with the line `N passed, N failed, N skipped`, after one
 * line per distinct skip reason (ctx.skip(reason)) with the number of tests it
 * skips; vitest's own output keeps each skipped test with its reason.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0, failed = unhandledErrors.length, skipped = 0;
    const reasons = new Map<string, number>();
    for (const m of testModules) {
      if (m.state() === "failed" && [...m.children.allTests()].length === 0) {
        failed++; // a file that did not load, or holds no test
        continue;
      }
      // A suite that failed by itself (an error in its body, or no test in it) fails the run: count it.
      for (const s of m.children.allSuites()) if (s.state() === "failed" && [...s.children.allTests()].every((t) => t.result().state !== "failed")) failed++;
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === "passed") passed++;
        else if (r.state === "failed") failed++;
        else {
          skipped++;
          const why = (r.state === "skipped" && r.note) || "no reason given";
          reasons.set(why, (reasons.get(why) ?? 0) + 1);
        }
      }
    }
    const notes = [...reasons].sort(([a, m], [b, n]) => n - m || a.localeCompare(b)).map(([why, n]) => `skipped ${n} test${n === 1 ? "" : "s"}: ${why}`);
    process.stdout.write(`\n${notes.join("\n")}${notes.length ? "\n" : ""}${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
