/** tinyc's library API. */
export { compile, type CompileOptions, type CompiledModel } from "./compile.js";
export { writeSources } from "./reports/files.js";
export { run, runCompiled, type RunOptions, type RunReport } from "./run.js";
export { checkBudget, parseBytes, type CheckReport } from "./budget.js";
export { planReport, type PlanReport } from "./reports/report.js";
export { TinycError, type Diagnostic, CODES } from "./diagnostics.js";
export { listTargets, loadTarget, type Target } from "./targets.js";
