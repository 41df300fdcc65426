/**
 * PAD folding, part of lowering: a padding op (PAD, or a PADV2 whose value is
 * the zero point) that pads only height and width with the consumer's input
 * zero point, read only by an op with padding of its own (a convolution) as
 * its input, becomes that op's explicit padding, top, bottom, left and right
 * independently. A padded cell then counts exactly as a window cell outside
 * the image (its value minus the input zero point is 0), so the bytes do not
 * change, and the padded copy never exists. The PAD stays where the kernel
 * chosen for the folded op cannot take explicit padding (CMSIS-NN: only
 * padding SAME or VALID would give). Pools keep their PADs: an average pool
 * counts only in-image cells (their modules offer no `withPadding`).
 */
import { scalarQuant, type Graph, type Node } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import { opModule } from "../compiler/ops/index.js";
import type { PassNote } from "../compiler/passes/notes.js";
import type { LoweredOp } from "./types.js";

/** Lowers one op of `graph` (memoised by node: each op is prepared and its kernel chosen once). */
export type LowerNode = (node: Node, graph: Graph) => LoweredOp;

/** The op a padding op's output feeds as its only reader's padded input, or undefined when it cannot fold. */
function foldTarget(g: Graph, pad: Node): Node | undefined {
  const padded = pad.outputs[0]!, source = pad.inputs[0]!;
  const readers = g.nodes.filter((n) => n.inputs.includes(padded));
  const op = readers[0];
  if (readers.length !== 1 || !op || !opModule(op).withPadding || g.outputs.includes(padded) || g.inputs.includes(padded)) return undefined;
  if (op.inputs[0] !== padded || op.inputs.indexOf(padded, 1) > 0 || tensorOf(g, source).shape.length !== 4) return undefined;
  return op;
}

export function foldPad(graph: Graph, lowerNode: LowerNode): { graph: Graph; notes: PassNote[] } {
  let g = graph;
  const notes: PassNote[] = [];
  for (const pad of graph.nodes.filter((n) => opModule(n).spatialPadding)) {
    const conv = foldTarget(g, pad);
    if (!conv) continue;
    const padded = pad.outputs[0]!;
    const pads = opModule(pad).spatialPadding!(pad, g, lowerNode(pad, g).params);
    if (!pads || pads.value !== scalarQuant(tensorOf(g, padded)).zeroPoint) continue;
    const folded = opModule(conv).withPadding!(conv, g, lowerNode(conv, g).params, pad.inputs[0]!, pads.padding);
    if (!folded) continue;
    const next: Graph = { ...g, nodes: g.nodes.filter((n) => n !== pad).map((n) => (n === conv ? folded.node : n)) };
    if (!lowerNode(folded.node, next).explicitPadding) continue;
    g = next;
    const { top, bottom, left, right } = folded.padding;
    notes.push({
      pass: "fold-pad", op: pad.index, kind: pad.kind,
      message: `folded into op ${conv.index} ${conv.kind}'s padding (top ${top}, bottom ${bottom}, left ${left}, right ${right}); the padded ${tensorOf(graph, padded).shape.join("x")} tensor is never made`,
    });
  }
  return { graph: g, notes };
}
