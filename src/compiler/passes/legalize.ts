/**
 * Legalize: every op validates its operands (dtypes, quantization, shapes,
 * attributes); all problems are collected and reported together.
 */
import { DiagnosticBag, fail } from "../../diagnostics.js";
import type { Graph, Node } from "../ir.js";
import { tensorOf } from "../ops/common.js";
import { opModule } from "../ops/index.js";
import { MultiplierRangeError } from "../numerics/quantize.js";
import type { PreparedGraph } from "./prepare.js";
import { floatOps, FULL_INTEGER_QUANTIZATION } from "./quantized.js";

/**
 * One op's checks: its module's validation, then its preparation (scales can be
 * valid one by one and still ask for a rescaling int32 arithmetic cannot do).
 * Problems go into `bag`; the op's parameters when there were none.
 */
export function checkOp(node: Node, graph: Graph, bag: DiagnosticBag): { readonly params: unknown } | undefined {
  const site = { file: graph.source, op: node.index };
  const before = bag.size;
  opModule(node).validate(node, graph, bag, site);
  if (bag.size > before) return undefined;
  try {
    return { params: opModule(node).prepare(node, graph) };
  } catch (e) {
    if (!(e instanceof MultiplierRangeError)) throw e;
    bag.add("TC116", "multiplier", { multiplier: e.real.toPrecision(4) }, site);
    return undefined;
  }
}

/** Validates every op (see legalizePrepared); returns the graph. */
export function legalize(graph: Graph): Graph {
  return legalizePrepared(graph).graph;
}

/** Validates every op and the graph's wiring, reporting all problems together; returns each op's parameters, prepared once. */
export function legalizePrepared(graph: Graph): PreparedGraph {
  refuseFloat(graph);
  const bag = new DiagnosticBag();
  const params = new Map<number, unknown>();
  for (const node of graph.nodes) {
    const checked = checkOp(node, graph, bag);
    if (checked) params.set(node.index, checked.params);
  }
  // Operators come in execution order: each reads constants, model inputs or what an earlier operator wrote.
  const written = new Set(graph.inputs);
  for (const node of graph.nodes) {
    for (const id of node.inputs) {
      const t = graph.tensors[id];
      if (id >= 0 && t && !t.data && !written.has(id)) {
        bag.add("TC103", "unwritten", { tensor: t.name }, { file: graph.source, op: node.index, tensor: t.name });
      }
    }
    node.outputs.forEach((id) => written.add(id));
  }
  for (const id of graph.outputs) {
    if (!written.has(id) && !graph.tensors[id]?.data) bag.add("TC103", "outputUnwritten", { tensor: String(graph.tensors[id]?.name) }, { file: graph.source, tensor: graph.tensors[id]?.name });
  }
  if (graph.inputs.length === 0 || graph.outputs.length === 0) {
    bag.add("TC103", "noInputOrOutput", { inputs: graph.inputs.length, outputs: graph.outputs.length }, { file: graph.source });
  }
  for (const id of [...graph.inputs, ...graph.outputs]) {
    const t = tensorOf(graph, id);
    // A float32 or uint8 interface is fine where QUANTIZE reads it (or writes it: uint8) or DEQUANTIZE writes it (float32).
    const converted = graph.nodes.some((n) =>
      (n.kind === "QUANTIZE" && (n.inputs[0] === id || (t.dtype === "uint8" && n.outputs[0] === id))) || (t.dtype === "float32" && n.kind === "DEQUANTIZE" && n.outputs[0] === id));
    if (t.dtype !== "int8" && !((t.dtype === "float32" || t.dtype === "uint8") && converted)) {
      const role = graph.inputs.includes(id) ? "input" : "output", where = { file: graph.source, tensor: t.name };
      if (t.dtype === "float32") bag.add("TC112", "interface", { role }, where);
      else bag.add("TC111", "interface", { role, dtype: t.dtype }, where);
    }
  }
  bag.throwIfAny();
  return { graph, params };
}

/** A float (or dynamic-range-only) model gets one diagnostic that says so, not one per float tensor. */
function refuseFloat(graph: Graph): void {
  const f = floatOps(graph);
  if (!f) return;
  const first = f.ops.slice(0, 3).map((n) => `op ${n.index} ${n.kind}`).join(", ");
  fail("TC105", f.hybrid ? "hybrid" : "float", { tensors: f.tensors, count: f.ops.length, first, settings: FULL_INTEGER_QUANTIZATION }, { file: graph.source, op: f.ops[0]!.index });
}
