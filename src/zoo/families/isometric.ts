/**
 * Isometric networks (Sandler et al., 2019, "Non-discriminative data or weak
 * model?"): a space-to-depth stem takes the input down to one fixed internal
 * resolution (input / 4), and every block after it keeps that resolution:
 * inverted bottlenecks (expand 1x1, depthwise 3x3, project 1x1) with residuals.
 * Depth, width (channels), expansion and input resolution are configurable.
 */
import { NetBuilder } from "../net.js";
import { classifier, grid, modelName, type Family } from "./common.js";

const STEM_BLOCK = 4;

export const isometric: Family = {
  name: "isometric",
  description: "isometric network: space-to-depth stem to input/4, then residual inverted bottlenecks at that fixed resolution",
  defaults: { width: 32, resolution: 96, channels: 3, seed: 1, depth: 8, expansion: 3 },
  grid: grid([16, 24, 32, 48], [96, 128], [4, 8, 12]),
  build(o) {
    const depth = o.depth ?? 8, t = o.expansion ?? 3, c = Math.round(o.width);
    const net = new NetBuilder(modelName("isometric", { ...o, depth, expansion: t }), o.seed, o.calibrate ?? true, o.io ?? "int8");
    let x = net.spaceToDepth(net.input(o.resolution, o.resolution, o.channels), "stem/space_to_depth", STEM_BLOCK);
    x = net.conv(x, "stem/conv", c, 1, 1, "RELU6");
    for (let b = 1; b <= depth; b++) {
      let y = net.conv(x, `block${b}/expand`, c * t, 1, 1, "RELU6");
      y = net.depthwise(y, `block${b}/depthwise`, 3, 1, "RELU6");
      y = net.conv(y, `block${b}/project`, c, 1, 1, "NONE");
      x = net.add(x, y, `block${b}/add`);
    }
    return net.build(classifier(net, x), `zoo isometric ${JSON.stringify({ ...o, depth, expansion: t })}`);
  },
};
