/**
 * MobileNetV3-Small (Howard et al., 2019): inverted residuals with hard-swish and
 * squeeze-excite (global mean, reduce, expand, sigmoid gate, per-channel
 * multiply). The SE gate is a LOGISTIC (the paper's hard-sigmoid is an
 * approximation of it); the head's hidden layer scales with the width.
 */
import type { Activation } from "../../compiler/ir.js";
import { NetBuilder, type Value } from "../net.js";
import { divisible, grid, modelName, type Family } from "./common.js";

/** (kernel, expansion channels, output channels, squeeze-excite, hard-swish, stride) */
const BLOCKS: readonly [number, number, number, boolean, boolean, number][] = [
  [3, 16, 16, true, false, 2], [3, 72, 24, false, false, 2], [3, 88, 24, false, false, 1],
  [5, 96, 40, true, true, 2], [5, 240, 40, true, true, 1], [5, 240, 40, true, true, 1],
  [5, 120, 48, true, true, 1], [5, 144, 48, true, true, 1], [5, 288, 96, true, true, 2],
  [5, 576, 96, true, true, 1], [5, 576, 96, true, true, 1],
];

function convAct(net: NetBuilder, x: Value, name: string, c: number, k: number, s: number, hs: boolean): Value {
  const y = net.conv(x, name, c, k, s, hs ? "NONE" : "RELU");
  return hs ? net.hardSwish(y, `${name}/hswish`) : y;
}

function depthwiseAct(net: NetBuilder, x: Value, name: string, k: number, s: number, hs: boolean): Value {
  const act: Activation = hs ? "NONE" : "RELU";
  const y = net.depthwise(x, name, k, s, act);
  return hs ? net.hardSwish(y, `${name}/hswish`) : y;
}

function squeezeExcite(net: NetBuilder, x: Value, name: string): Value {
  const c = x.shape[3]!;
  let g = net.spatialMean(x, `${name}/pool`, true);
  g = net.conv(g, `${name}/reduce`, divisible(c / 4), 1, 1, "RELU", false);
  g = net.conv(g, `${name}/expand`, c, 1, 1, "NONE", false);
  g = net.logistic(g, `${name}/gate`);
  return net.mul(x, g, `${name}/scale`);
}

export const mobilenetV3Small: Family = {
  name: "mobilenet-v3-small",
  description: "MobileNetV3-Small, hard-swish and squeeze-excite; head hidden layer scaled with the width (VWW-sized)",
  defaults: { width: 0.5, resolution: 96, channels: 3, seed: 1 },
  grid: grid([0.35, 0.5, 0.75, 1.0], [96, 128, 160]),
  build(o) {
    const net = new NetBuilder(modelName("mobilenet_v3_small", o), o.seed, o.calibrate ?? true, o.io ?? "int8");
    let x = convAct(net, net.input(o.resolution, o.resolution, o.channels), "stem/conv", divisible(16 * o.width), 3, 2, true);
    BLOCKS.forEach(([k, exp, out, se, hs, s], i) => {
      const name = `block${i + 1}`;
      const inC = x.shape[3]!, e = divisible(exp * o.width), c = divisible(out * o.width);
      let y = e === inC ? x : convAct(net, x, `${name}/expand`, e, 1, 1, hs);
      y = depthwiseAct(net, y, `${name}/depthwise`, k, s, hs);
      if (se) y = squeezeExcite(net, y, `${name}/se`);
      y = net.conv(y, `${name}/project`, c, 1, 1, "NONE");
      x = s === 1 && inC === c ? net.add(x, y, `${name}/add`) : y;
    });
    x = convAct(net, x, "last/conv", divisible(576 * o.width), 1, 1, true);
    const hidden = net.hardSwish(net.dense(net.spatialMean(x, "head/pool", false), "head/hidden", divisible(256 * o.width), "NONE"), "head/hidden/hswish");
    const logits = net.dense(hidden, "head/logits", 2, "NONE", true);
    return net.build(net.softmax(logits, "head/softmax"), `zoo mobilenet-v3-small ${JSON.stringify(o)}`);
  },
};
