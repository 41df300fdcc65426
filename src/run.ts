/**
 * run(): compile, build the emulator firmware, run it in QEMU, and compare its
 * output (and every op's output hash) with the TypeScript reference.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type CompileOptions, type CompiledModel } from "./compile.js";
import { dataBytes, elementCount, fromBytes, tensorBytes, type TensorData } from "./compiler/ir.js";
import { tensorOf } from "./compiler/ops/common.js";
import { runReference } from "./compiler/reference.js";
import { fail } from "./diagnostics.js";
import { buildFirmware, type FirmwareSizes } from "./emulator/firmware.js";
import { DEFAULT_TIMEOUT_MS, runFirmware } from "./emulator/qemu.js";
import { xorshiftInput } from "./inputs.js";

export interface RunOptions extends CompileOptions {
  /**
   * The input tensor's raw bytes: int8 NHWC, or little-endian float32 for a
   * model with a float input. Default: the seed-1 xorshift input (for a float
   * input, those int8 values / 128).
   */
  readonly input?: Int8Array | Uint8Array;
  readonly timeoutMs?: number;
  /** Extra C flags for model.c (tests use it). */
  readonly modelCFlags?: readonly string[];
  /** Rewrites the generated model.c before the build (tests use it to corrupt tables). */
  readonly patchSource?: (source: string) => string;
}

export interface LayerReport {
  readonly op: number;
  readonly kind: string;
  readonly instructions: number;
  readonly matches: boolean;
}

export interface RunReport {
  readonly model: string;
  readonly target: string;
  readonly backend: string;
  readonly instructions: number;
  readonly layers: readonly LayerReport[];
  readonly arenaBytes: number;
  readonly lowerBoundBytes: number;
  /** The bound that matches the memory options (overlap bound when they are on). */
  readonly boundBytes: number;
  readonly modelFlashBytes: number;
  readonly firmwareFlashBytes: number;
  readonly otherStaticRamBytes: number;
  readonly stackHighWaterBytes: number;
  /** arena + other static RAM + stack high-water. */
  readonly ramBytes: number;
  /** The firmware's output, decoded by the output tensor's type (int8 or float32). */
  readonly output: TensorData;
  readonly reference: TensorData;
  readonly matches: boolean;
  /** The first op whose output differs from the reference, if any. */
  readonly firstMismatchOp?: number;
  readonly compileMs: number;
}

function fnv1a(data: TensorData): number {
  const bytes = dataBytes(data);
  let h = 2166136261;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619) >>> 0;
  return h >>> 0;
}

/** The default input: seed-1 xorshift bytes as int8, or those values / 128 for a float input. */
function defaultInput(dtype: string, elements: number): Uint8Array {
  const q = xorshiftInput(1, elements);
  return dtype === "float32" ? dataBytes(Float32Array.from(q, (v) => v / 128)) : dataBytes(q);
}

export async function runCompiled(c: CompiledModel, options: RunOptions = {}): Promise<RunReport> {
  const inputTensor = tensorOf(c.graph, c.graph.inputs[0]!);
  const inputBytes = tensorBytes(inputTensor);
  const input = options.input ? new Uint8Array(options.input.buffer, options.input.byteOffset, options.input.byteLength) : defaultInput(inputTensor.dtype, elementCount(inputTensor.shape));
  if (input.length !== inputBytes) {
    fail("TC120", `the input has ${input.length} bytes; '${inputTensor.name}' [${inputTensor.shape.join(", ")}] ${inputTensor.dtype} needs exactly ${inputBytes}`, { file: c.modelPath });
  }
  const ref = runReference(c.prepared, [fromBytes(input, inputTensor.dtype)]);
  const dir = mkdtempSync(join(tmpdir(), "tinyc-run-"));
  try {
    const compiled = options.patchSource ? { ...c, generated: { ...c.generated, source: options.patchSource(c.generated.source) } } : c;
    const fw = await buildFirmware(compiled, new Int8Array(input.buffer, input.byteOffset, input.byteLength), dir, options.modelCFlags);
    const out = await runFirmware(c.target, fw.elf, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return report(c, fw.sizes, out, ref.outputs[0]!, ref.layers);
  } finally {
    if (!process.env.TINYC_KEEP_BUILD) rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  c: CompiledModel, sizes: FirmwareSizes, out: Awaited<ReturnType<typeof runFirmware>>, reference: TensorData,
  layers: TensorData[],
): RunReport {
  const perTick = 1e9 / c.target.qemu.systickHz;
  // In execution order (the schedule); the harness records each op's end under its index.
  const nodes = c.graph.nodes;
  const layerReports = nodes.map((node, i) => ({
    op: node.index,
    kind: node.kind,
    instructions: Math.round(((out.layerEndTicks[node.index] ?? 0) - (i > 0 ? out.layerEndTicks[nodes[i - 1]!.index] ?? 0 : 0)) * perTick),
    matches: out.layerHashes[node.index] === fnv1a(layers[i]!),
  }));
  const firstBad = layerReports.find((l) => !l.matches);
  const matches = Buffer.compare(Buffer.from(dataBytes(out.output)), Buffer.from(dataBytes(reference))) === 0;
  const output = fromBytes(dataBytes(out.output), tensorOf(c.graph, c.graph.outputs[0]!).dtype);
  return {
    model: c.modelPath,
    target: c.target.name,
    backend: c.backend,
    instructions: Math.round(out.totalTicks * perTick),
    layers: layerReports,
    arenaBytes: c.plan.arenaBytes,
    lowerBoundBytes: c.plan.lowerBoundBytes,
    boundBytes: c.plan.boundBytes,
    ...sizes,
    stackHighWaterBytes: out.stackHighWaterBytes,
    ramBytes: c.plan.arenaBytes + sizes.otherStaticRamBytes + out.stackHighWaterBytes,
    output,
    reference,
    matches,
    firstMismatchOp: firstBad?.op,
    compileMs: c.compileMs,
  };
}

export async function run(modelPath: string, options: RunOptions = {}): Promise<RunReport> {
  return runCompiled(compile(modelPath, options), options);
}
