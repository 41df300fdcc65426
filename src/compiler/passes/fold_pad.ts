/**
 * PAD folding: a PAD (or a PADV2 whose value is the zero point) that pads
 * only height and width with the consumer's input zero point, read only by a CONV_2D or DEPTHWISE_CONV_2D (as its
 * input), becomes that convolution's explicit padding, top, bottom, left and
 * right independently. A padded cell then counts exactly as a window cell
 * outside the image (its value minus the input zero point is 0), so the bytes
 * do not change, and the padded copy never exists. The PAD stays where the
 * kernel family chosen for the convolution cannot take explicit padding
 * (CMSIS-NN: only padding SAME or VALID would give). Pools keep their PADs:
 * an average pool counts only in-image cells.
 */
import { elementCount, scalarQuant, type ExplicitPadding, type Graph, type Node } from "../ir.js";
import { tensorOf } from "../ops/common.js";
import type { ConvParams } from "../ops/conv2d.js";
import { opModule } from "../ops/index.js";
import type { PadParams } from "../ops/pad.js";
import { MAX_RANK } from "../ops/shapes.js";
import type { Target } from "../../targets.js";
import { takesExplicitPadding } from "../../kernels/registry.js";
import type { PassNote } from "./notes.js";

const CONSUMERS = new Set(["CONV_2D", "DEPTHWISE_CONV_2D"]);

/** The convolution's padding as explicit amounts (what SAME or VALID amount to for its geometry). */
function explicitOf(node: Node & { kind: "CONV_2D" | "DEPTHWISE_CONV_2D" }, p: ConvParams): ExplicitPadding {
  if (typeof node.options.padding === "object") return node.options.padding;
  const g = p.geo;
  return { top: g.padTop, bottom: g.padBottomExtra, left: g.padLeft, right: g.padRightExtra };
}

/** H/W padding of a rank-4 PAD, or undefined when it pads the batch or channel axis. */
function spatialPads(p: PadParams): ExplicitPadding | undefined {
  const lead = MAX_RANK - 4;
  const after = (d: number) => p.outDims[d]! - p.inDims[d]! - p.before[d]!;
  if ([lead, lead + 3].some((d) => p.before[d] !== 0 || after(d) !== 0)) return undefined;
  return { top: p.before[lead + 1]!, bottom: after(lead + 1), left: p.before[lead + 2]!, right: after(lead + 2) };
}

export function foldPad(graph: Graph, backend: string, target: Target): { graph: Graph; notes: PassNote[] } {
  let g = graph;
  const notes: PassNote[] = [];
  for (const pad of graph.nodes.filter((n) => n.kind === "PAD" || n.kind === "PADV2")) {
    const padded = pad.outputs[0]!, source = pad.inputs[0]!;
    const readers = g.nodes.filter((n) => n.inputs.includes(padded));
    const conv = readers[0];
    if (readers.length !== 1 || !conv || !CONSUMERS.has(conv.kind) || g.outputs.includes(padded) || g.inputs.includes(padded)) continue;
    if (conv.inputs[0] !== padded || conv.inputs.indexOf(padded, 1) > 0 || tensorOf(g, source).shape.length !== 4) continue;
    const pp = opModule(pad).prepare(pad, g) as PadParams;
    const pads = spatialPads(pp);
    if (!pads || pp.padValue !== scalarQuant(tensorOf(g, padded)).zeroPoint) continue;
    const convNode = conv as Node & { kind: "CONV_2D" | "DEPTHWISE_CONV_2D" };
    const was = explicitOf(convNode, opModule(conv).prepare(conv, g) as ConvParams);
    const padding: ExplicitPadding = { top: was.top + pads.top, bottom: was.bottom + pads.bottom, left: was.left + pads.left, right: was.right + pads.right };
    const folded = { ...convNode, inputs: [source, ...conv.inputs.slice(1)], options: { ...convNode.options, padding } } as Node;
    const next: Graph = { ...g, nodes: g.nodes.filter((n) => n !== pad).map((n) => (n === conv ? folded : n)) };
    const params = opModule(folded).prepare(folded, next) as ConvParams;
    const out = tensorOf(g, conv.outputs[0]!).shape;
    const sameShape = params.geo.outH === out[1] && params.geo.outW === out[2] && elementCount(out) === params.geo.batches * params.geo.outH * params.geo.outW * params.geo.outC;
    if (!sameShape || !takesExplicitPadding(backend, { node: folded, graph: next, params, target })) continue;
    g = next;
    notes.push({
      pass: "fold-pad", op: pad.index, kind: pad.kind,
      message: `folded into op ${conv.index} ${conv.kind}'s padding (top ${padding.top}, bottom ${padding.bottom}, left ${padding.left}, right ${padding.right}); the padded ${tensorOf(graph, padded).shape.join("x")} tensor is never made`,
    });
  }
  return { graph: g, notes };
}
