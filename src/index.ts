/** tinyc's library API. */
export { compile, writeSources, type CompileOptions, type CompiledModel } from "./compile.js";
export { run, runCompiled, type RunOptions, type RunReport } from "./run.js";
export { checkBudget, parseBytes, type CheckReport } from "./budget.js";
export { planReport, type PlanReport } from "./memplan/report.js";
export { TinycError, type Diagnostic, CODES } from "./diagnostics.js";
export { listTargets, loadTarget, type Target } from "./targets.js";
