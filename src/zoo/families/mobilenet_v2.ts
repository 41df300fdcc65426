/** MobileNetV2 (Sandler et al., 2018): inverted residuals with linear bottlenecks; ReLU6. */
import { NetBuilder, type Value } from "../net.js";
import { classifier, divisible, grid, modelName, type Family } from "./common.js";

/** (expansion t, output channels c, repeats n, first stride s) */
const SETTINGS: readonly [number, number, number, number][] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

export const mobilenetV2: Family = {
  name: "mobilenet-v2",
  description: "MobileNetV2, inverted residuals and linear bottlenecks, ReLU6; the last 1x1 layer scales with the width (VWW-sized)",
  defaults: { width: 0.35, resolution: 96, channels: 3, seed: 1 },
  grid: grid([0.25, 0.35, 0.5, 0.75], [96, 128, 160]),
  build(o) {
    const net = new NetBuilder(modelName("mobilenet_v2", o), o.seed, o.calibrate ?? true, o.io ?? "int8");
    let x: Value = net.conv(net.input(o.resolution, o.resolution, o.channels), "stem/conv", divisible(32 * o.width), 3, 2, "RELU6");
    let b = 0;
    for (const [t, c, n, s] of SETTINGS) {
      for (let i = 0; i < n; i++) {
        b++;
        const inC = x.shape[3]!, outC = divisible(c * o.width), stride = i === 0 ? s : 1;
        let y = t === 1 ? x : net.conv(x, `block${b}/expand`, inC * t, 1, 1, "RELU6");
        y = net.depthwise(y, `block${b}/depthwise`, 3, stride, "RELU6");
        y = net.conv(y, `block${b}/project`, outC, 1, 1, "NONE");
        x = stride === 1 && inC === outC ? net.add(x, y, `block${b}/add`) : y;
      }
    }
    x = net.conv(x, "last/conv", divisible(1280 * o.width), 1, 1, "RELU6");
    return net.build(classifier(net, x), `zoo mobilenet-v2 ${JSON.stringify(o)}`);
  },
};
