/**
 * Row-streamed segments: runs of consecutive window ops (convolutions,
 * depthwise convolutions, pools) executed band by band (stream.ts), each
 * intermediate held as a ring of rows instead of a whole tensor. A segment is
 * possible where each op reads only the previous op's output (and constants),
 * that output is read by nothing else, and every op's kernel can compute a
 * range of rows through rings (the family's `ringRows`). The planner picks
 * segments that lower its bound (see chooseSegments in plan.ts).
 */
import { isConstant, type Graph, type Node } from "../compiler/ir.js";
import type { ConvParams } from "../compiler/ops/conv2d.js";
import { tensorOf } from "../compiler/ops/common.js";
import type { PoolParams } from "../compiler/ops/pool.js";
import type { PreparedGraph } from "../compiler/passes/prepare.js";
import { marginsOf } from "../kernels/access.js";
import { computesRingRows, type Backend } from "../kernels/registry.js";
import type { Target } from "../targets.js";
import { segmentSchedule, segmentSteps, type RowOp, type SegmentSchedule } from "./stream.js";

export interface Segment {
  /** Schedule steps (positions in graph.nodes), consecutive, first to last. */
  readonly steps: readonly number[];
  /** Node indices of the same ops. */
  readonly ops: readonly number[];
  readonly schedule: SegmentSchedule;
  /** The tensor each op but the last writes, as a ring: its rows and bytes. */
  readonly rings: readonly { readonly tensor: number; readonly rows: number; readonly bytes: number }[];
  /** The segment's input (the first op's) and output (the last op's) tensors. */
  readonly input: number;
  readonly output: number;
  /** Largest output − input offset the band order allows (the output overwriting input rows already consumed). */
  readonly forward: number;
}

/** The row geometry of a window op, or undefined for other kinds. */
export function rowOpOf(node: Node, params: unknown): RowOp | undefined {
  switch (node.kind) {
    case "CONV_2D":
    case "DEPTHWISE_CONV_2D": {
      const g = (params as ConvParams).geo;
      return { inH: g.inH, outH: g.outH, kH: g.kH, strideH: g.strideH, dilH: g.dilH, padTop: g.padTop };
    }
    case "AVERAGE_POOL_2D":
    case "MAX_POOL_2D": {
      const p = params as PoolParams;
      return { inH: p.inH, outH: p.outH, kH: p.kH, strideH: p.strideH, dilH: 1, padTop: p.padTop };
    }
    default:
      return undefined;
  }
}

/** Bytes of one row of a [1, H, W, C] int8 tensor. */
const rowBytes = (graph: Graph, id: number) => {
  const s = tensorOf(graph, id).shape;
  return s[2]! * s[3]!;
};

/**
 * For each step, whether its op can stream and take the next step's op as
 * its consumer in a segment (`link[i]`: step i's output feeds only step i+1).
 */
export function streamableSteps(p: PreparedGraph, backend: Backend, target: Target): { can: boolean[]; link: boolean[] } {
  const { graph } = p;
  const readers = new Map<number, number>();
  for (const n of graph.nodes) for (const id of n.inputs) if (id >= 0) readers.set(id, (readers.get(id) ?? 0) + 1);
  const boundary = new Set([...graph.inputs, ...graph.outputs]);
  const can = graph.nodes.map((node) => {
    const params = p.params.get(node.index);
    const acts = node.inputs.filter((id) => id >= 0 && !isConstant(tensorOf(graph, id)));
    const four = [...acts, ...node.outputs].every((id) => tensorOf(graph, id).shape.length === 4 && tensorOf(graph, id).dtype === "int8");
    return rowOpOf(node, params) !== undefined && acts.length === 1 && acts[0] === node.inputs[0] && node.outputs.length === 1 && four &&
      computesRingRows(backend, { node, graph, params, target });
  });
  const link = graph.nodes.map((node, i) => {
    const next = graph.nodes[i + 1];
    const out = node.outputs[0]!;
    return can[i]! && next !== undefined && can[i + 1]! && next.inputs[0] === out && readers.get(out) === 1 && !boundary.has(out);
  });
  return { can, link };
}

/** The segment of steps [first, last] (a chain: see streamableSteps). */
export function segmentOf(p: PreparedGraph, first: number, last: number): Segment {
  const { graph } = p;
  const nodes = graph.nodes.slice(first, last + 1);
  const ops = nodes.map((n) => rowOpOf(n, p.params.get(n.index))!);
  const schedule = segmentSchedule(ops, 1);
  const rings = nodes.slice(0, -1).map((n, k) => {
    const tensor = n.outputs[0]!;
    return { tensor, rows: schedule.rings[k]!, bytes: schedule.rings[k]! * rowBytes(graph, tensor) };
  });
  const input = nodes[0]!.inputs[0]!, output = nodes[nodes.length - 1]!.outputs[0]!;
  const { forward } = marginsOf(segmentSteps(ops, schedule, rowBytes(graph, input), rowBytes(graph, output)));
  return { steps: nodes.map((_, k) => first + k), ops: nodes.map((n) => n.index), schedule, rings, input, output, forward };
}
