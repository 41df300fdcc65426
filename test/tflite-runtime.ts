/**
 * TensorFlow Lite's own runtime, as a second opinion (not the bit-exact
 * oracle): @tensorflow/tfjs-tflite's WebAssembly build of TFLite, loaded in Node
 * by handing the wasm bytes to its module factory. Its int8 kernels run through
 * XNNPACK, which rounds differently from the reference kernels.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { TensorData } from "../src/compiler/ir.js";

const require = createRequire(import.meta.url);

interface TensorInfo {
  readonly dataType: string;
  readonly shape: string;
  data(): Int8Array | Uint8Array | Float32Array;
}
interface CppVector<T> { size(): number; get(i: number): T; delete(): void }
interface Runner { GetInputs(): CppVector<TensorInfo>; GetOutputs(): CppVector<TensorInfo>; Infer(): boolean; delete(): void }
interface Module {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
  TFLiteWebModelRunner: { CreateFromBufferAndOptions(p: number, n: number, o: object): { ok(): boolean; errorMessage(): string; value(): Runner; delete(): void } };
}

let modulePromise: Promise<Module> | undefined;

function tfliteModule(): Promise<Module> {
  if (!modulePromise) {
    const dir = join(dirname(require.resolve("@tensorflow/tfjs-tflite/package.json")), "wasm");
    const factory = require(join(dir, "tflite_web_api_cc_simd.js")) as (m: object) => Promise<Module>;
    modulePromise = factory({ wasmBinary: readFileSync(join(dir, "tflite_web_api_cc_simd.wasm")) });
  }
  return modulePromise;
}

export type TfliteResult = { ok: true; output: TensorData; outputs: TensorData[] } | { ok: false; error: string };

/** Runs a .tflite model (int8, uint8 or float32 inputs and outputs, one or several of each) in TensorFlow Lite. */
export async function runInTflite(model: Uint8Array, input: TensorData | readonly TensorData[]): Promise<TfliteResult> {
  const given = Array.isArray(input) ? (input as readonly TensorData[]) : [input as TensorData];
  const m = await tfliteModule();
  const ptr = m._malloc(model.length);
  m.HEAPU8.set(model, ptr);
  const created = m.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, model.length, { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 16 });
  try {
    if (!created.ok()) return { ok: false, error: created.errorMessage() };
    const runner = created.value();
    const inputs = runner.GetInputs(), outputs = runner.GetOutputs();
    try {
      if (inputs.size() !== given.length) return { ok: false, error: `${inputs.size()} inputs, ${given.length} given` };
      for (let i = 0; i < given.length; i++) {
        const inp = inputs.get(i);
        if (!["int8", "uint8", "float32"].includes(inp.dataType)) return { ok: false, error: `input ${i} is ${inp.dataType}` };
        inp.data().set(given[i]!);
      }
      if (!runner.Infer()) return { ok: false, error: "Infer() failed" };
      const results: TensorData[] = [];
      for (let i = 0; i < outputs.size(); i++) {
        const out = outputs.get(i);
        const data = out.data();
        results.push(out.dataType === "float32" ? Float32Array.from(data) : out.dataType === "uint8" ? Uint8Array.from(data) : Int8Array.from(data));
      }
      return { ok: true, output: results[0]!, outputs: results };
    } finally {
      inputs.delete();
      outputs.delete();
      runner.delete();
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    created.delete();
    m._free(ptr);
  }
}
