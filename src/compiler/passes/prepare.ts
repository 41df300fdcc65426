/**
 * Prepare: every op precomputes its kernel parameters on the host
 * (requantization multipliers and shifts, padding, activation ranges). The
 * reference interpreter and the code generator both consume these, so a
 * mistake in them shows up in both.
 */
import type { Graph } from "../ir.js";
import { opModule } from "../ops/index.js";

export interface PreparedGraph {
  readonly graph: Graph;
  /** Kernel parameters by node index. */
  readonly params: ReadonlyMap<number, unknown>;
}

export function prepare(graph: Graph): PreparedGraph {
  const params = new Map<number, unknown>();
  for (const node of graph.nodes) params.set(node.index, opModule(node).prepare(node, graph));
  return { graph, params };
}
