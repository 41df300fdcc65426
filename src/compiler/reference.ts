/**
 * The reference interpreter: runs a prepared graph op by op with each op
 * module's TypeScript evaluation. It is tinyc's bit-exact oracle, checked
 * against TensorFlow Lite Micro's golden outputs layer by layer.
 */
import { assert, fail } from "../diagnostics.js";
import { dataBytes, elementCount, type TensorData } from "./ir.js";
import { constData, tensorOf } from "./ops/common.js";
import { opModule } from "./ops/index.js";
import { outputValues } from "./ops/types.js";
import type { PreparedGraph } from "./passes/prepare.js";

export interface ReferenceResult {
  /** Output tensor data, in graph output order. */
  readonly outputs: TensorData[];
  /** Each op's output, by op position in the graph's node list (an op with several outputs: their bytes concatenated in order). */
  readonly layers: TensorData[];
}

export function runReference(p: PreparedGraph, inputs: readonly TensorData[]): ReferenceResult {
  const { graph } = p;
  const values = new Map<number, TensorData>();
  graph.inputs.forEach((id, i) => {
    const t = tensorOf(graph, id);
    const data = inputs[i];
    if (!data || data.length !== elementCount(t.shape) || (t.dtype === "float32") !== data instanceof Float32Array) {
      fail("TC120", "referenceInput", { index: i, tensor: t.name, elements: elementCount(t.shape), dtype: t.dtype, got: data?.length ?? 0 }, { file: graph.source });
    }
    values.set(id, data);
  });
  const layers: TensorData[] = [];
  for (const node of graph.nodes) {
    const m = opModule(node);
    const args = node.inputs.map((id) => {
      if (id < 0) return new Int8Array(0);
      const v = values.get(id);
      if (v) return v;
      const t = tensorOf(graph, id);
      assert(t.data, `op ${node.index} reads tensor ${t.name} before it is written`);
      return constData(t);
    });
    const outs = outputValues(m.evaluate(node, graph, p.params.get(node.index), args));
    assert(outs.length === node.outputs.length, `op ${node.index} ${node.kind} gave ${outs.length} outputs for ${node.outputs.length}`);
    outs.forEach((v, k) => values.set(node.outputs[k]!, v));
    layers.push(outs.length === 1 ? outs[0]! : concatBytes(outs));
  }
  return { outputs: graph.outputs.map((id) => values.get(id)!), layers };
}

function concatBytes(values: readonly TensorData[]): Uint8Array {
  const all = new Uint8Array(values.reduce((n, v) => n + v.byteLength, 0));
  let at = 0;
  for (const v of values) {
    all.set(dataBytes(v), at);
    at += v.byteLength;
  }
  return all;
}
