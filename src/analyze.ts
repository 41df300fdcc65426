/** `tinyc analyze` with measurements: const data sizes from the compiled model.o and, with `run`, each op's instructions and estimated cycles in the emulator. */
import type { CompiledModel } from "./compile.js";
import { TinycError } from "./diagnostics.js";
import { modelSymbolSizes } from "./emulator/firmware.js";
import { analyzeModel, type AnalyzeReport } from "./reports/analyze.js";
import { runCompiled } from "./run.js";

export async function analyze(c: CompiledModel, options: { run?: boolean } = {}): Promise<AnalyzeReport> {
  const layers = options.run ? (await runCompiled(c)).layers : undefined;
  const instructions = layers && new Map(layers.map((l) => [l.op, l.instructions]));
  const cycles = layers?.some((l) => l.cycles !== undefined) ? new Map(layers.map((l) => [l.op, l.cycles ?? 0])) : undefined;
  return analyzeModel(c, { symbolBytes: await symbolSizes(c), instructions, cycles });
}

/** model.o's symbol sizes, or undefined when it cannot be compiled here (no compiler; emitted for a CMSIS-NN version without its tree): then the sizes are estimated. */
async function symbolSizes(c: CompiledModel): Promise<Map<string, number> | undefined> {
  try {
    return await modelSymbolSizes(c);
  } catch (e) {
    if (e instanceof TinycError && e.code === "TC150") return undefined;
    throw e;
  }
}
