/** MobileNetV1 (Howard et al., 2017): a strided stem, then depthwise-separable blocks; ReLU6. */
import { NetBuilder } from "../net.js";
import { classifier, divisible, grid, modelName, type Family } from "./common.js";

const BLOCKS: readonly [number, number][] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

export const mobilenetV1: Family = {
  name: "mobilenet-v1",
  description: "MobileNetV1, depthwise-separable blocks, ReLU6 (the VWW reference architecture at width 0.25, 96x96)",
  defaults: { width: 0.25, resolution: 96, channels: 3, seed: 1 },
  grid: grid([0.25, 0.35, 0.5, 0.75, 1.0], [96, 128, 160]),
  build(o) {
    const net = new NetBuilder(modelName("mobilenet_v1", o), o.seed, o.calibrate ?? true, o.io ?? "int8");
    let x = net.conv(net.input(o.resolution, o.resolution, o.channels), "stem/conv", divisible(32 * o.width), 3, 2, "RELU6");
    BLOCKS.forEach(([c, s], i) => {
      x = net.depthwise(x, `block${i + 1}/depthwise`, 3, s, "RELU6");
      x = net.conv(x, `block${i + 1}/pointwise`, divisible(c * o.width), 1, 1, "RELU6");
    });
    return net.build(classifier(net, x), `zoo mobilenet-v1 ${JSON.stringify(o)}`);
  },
};
