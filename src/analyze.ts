/** `tinyc analyze` with measurements: const data sizes from the compiled model.o and, with `run`, each op's instructions in the emulator. */
import type { CompiledModel } from "./compile.js";
import { modelSymbolSizes } from "./emulator/firmware.js";
import { analyzeModel, type AnalyzeReport } from "./reports/analyze.js";
import { runCompiled } from "./run.js";

export async function analyze(c: CompiledModel, options: { run?: boolean } = {}): Promise<AnalyzeReport> {
  const symbolBytes = await modelSymbolSizes(c);
  const instructions = options.run ? new Map((await runCompiled(c)).layers.map((l) => [l.op, l.instructions])) : undefined;
  return analyzeModel(c, { symbolBytes, instructions });
}
