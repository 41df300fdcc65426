/**
 * A random int8 network of a given number of ops for the planner benchmark:
 * 1x1 convolutions on 8x8 feature maps of random width, with residual ADDs and,
 * now and then, two parallel branches joined by an ADD (so reordering has
 * choices). Deterministic from the seed.
 */
import type { Graph, Node, Tensor } from "../compiler/ir.js";
import { Rng } from "../zoo/random.js";

export function randomNetwork(ops: number, seed: number): Graph {
  const rng = new Rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  const tensors: Tensor[] = [];
  const nodes: Node[] = [];
  const q = { scale: [0.05], zeroPoint: [0], axis: 0 };
  const activation = (c: number): number => {
    tensors.push({ id: tensors.length, name: `t${tensors.length}`, shape: [1, 8, 8, c], dtype: "int8", quant: q });
    return tensors.length - 1;
  };
  const conv = (input: number, outC: number): number => {
    const inC = tensors[input]!.shape[3]!;
    const w = new Uint8Array(outC * inC).map(() => int(0, 255));
    tensors.push({ id: tensors.length, name: `w${tensors.length}`, shape: [outC, 1, 1, inC], dtype: "int8", quant: { scale: Array(outC).fill(0.01), zeroPoint: Array(outC).fill(0), axis: 0 }, data: w });
    const filter = tensors.length - 1, out = activation(outC);
    nodes.push({ index: nodes.length, kind: "CONV_2D", inputs: [input, filter], outputs: [out], options: { padding: "VALID", strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: "RELU" } });
    return out;
  };
  const add = (a: number, b: number): number => {
    const out = activation(tensors[a]!.shape[3]!);
    nodes.push({ index: nodes.length, kind: "ADD", inputs: [a, b], outputs: [out], options: { activation: "NONE" } });
    return out;
  };
  const input = activation(8);
  let x = input;
  while (nodes.length < ops - 5) {
    const c = tensors[x]!.shape[3]!;
    const r = rng.uniform();
    if (r < 0.15) {
      // Two branches from x, joined by an ADD.
      const a = conv(conv(x, int(8, 64)), c), b = conv(conv(x, int(8, 64)), c);
      x = add(a, b);
    } else if (r < 0.35) {
      x = add(conv(conv(x, int(8, 64)), c), x); // residual
    } else {
      x = conv(x, int(4, 48));
    }
  }
  while (nodes.length < ops) x = conv(x, int(4, 48));
  return { name: `random_${ops}`, source: `random network of ${ops} ops (seed ${seed})`, sha256: "0".repeat(64), tensors, nodes, inputs: [input], outputs: [x] };
}
