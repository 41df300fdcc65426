/**
 * The dsp family: tinyc's own int8 kernels for Arm cores with the DSP
 * extension (Cortex-M4, M7, M33, M55), C with ACLE intrinsics
 * (templates/c/dsp), each intrinsic with an exact C emulation so host builds
 * test the same sources. Weights are re-laid at compile time in the order the
 * kernels read them and the input zero point is folded into the bias. Ops it
 * has no kernel for run the portable family's.
 */
import { join } from "node:path";
import { templatesDir } from "../../paths.js";
import type { KernelFamily } from "../types.js";
import { conv2d, depthwiseConv2d, fullyConnected } from "./conv.js";
import { add, mul, sub } from "./elementwise.js";
import { lookup } from "./lookup.js";
import { averagePool2d } from "./pool.js";

export const dsp: KernelFamily<"dsp"> = {
  name: "dsp",
  describes: "tinyc's DSP kernel",
  fallback: "portable",
  sources: { dir: join(templatesDir(), "dsp"), headers: ["tinyc_dsp.h"] },
  // The host build emulates the intrinsics exactly (for tests); on an Arm core without the extension the family is refused.
  missingFeature: (t) => (t.dsp || t.host ? undefined : "DSP extension"),
  defaultOn: (t) => t.dsp && !t.host,
  targetNote: (t) => (t.mve ? `${t.name} has Helium (MVE); tinyc's DSP kernels use its DSP instructions, --backend cmsis-nn runs CMSIS-NN's MVE kernels` : undefined),
  // Cortex-M4, the shared models: convolutions 1.0–1.4 instructions per MAC, 3x3 depthwise 3.9–4.3; a row call 160–340 more;
  // a convolution's window gathered from a ring about 20 more per pixel and window row (the depthwise kernel finds its rows once a call).
  cost: { perWorkOf: { CONV_2D: 1.2, DEPTHWISE_CONV_2D: 4.1, FULLY_CONNECTED: 4 }, perWork: 4, perCall: 250, ringShareOf: {}, ringRowReadOf: { CONV_2D: 20 } },
  kernels: {
    CONV_2D: conv2d, DEPTHWISE_CONV_2D: depthwiseConv2d, FULLY_CONNECTED: fullyConnected, ADD: add, SUB: sub, MUL: mul,
    HARD_SWISH: lookup, LOGISTIC: lookup, TANH: lookup, LEAKY_RELU: lookup, AVERAGE_POOL_2D: averagePool2d,
  },
};
