/**
 * All CMSIS-NN calls in one module (filled in with the cmsis-nn backend).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fail } from "../../diagnostics.js";
import type { Target } from "../../targets.js";
import type { ConvParams } from "../ops/conv2d.js";
import type { DepthwiseParams } from "../ops/depthwise_conv2d.js";
import type { PoolParams } from "../ops/average_pool2d.js";
import type { FullyConnectedParams } from "../ops/fully_connected.js";
import type { SoftmaxParams } from "../ops/softmax.js";
import type { EmitContext } from "../ops/types.js";

/**
 * Finds and identifies the user's CMSIS-NN tree (--cmsis-nn DIR or CMSIS_NN_ROOT)
 * from `$Revision` in Include/arm_nnfunctions.h.
 */
export function resolveCmsisNn(dir: string | undefined): CmsisNnInfo {
  const root = dir ?? process.env.CMSIS_NN_ROOT;
  if (!root) {
    fail("TC150", "the cmsis-nn backend needs a CMSIS-NN source tree: pass --cmsis-nn DIR or set CMSIS_NN_ROOT (see the README for how to get CMSIS-NN)");
  }
  const header = join(root, "Include", "arm_nnfunctions.h");
  if (!existsSync(header)) fail("TC150", `${header} not found: ${root} is not a CMSIS-NN source tree`, { file: root });
  const m = /\$Revision:\s*V\.?([0-9.]+)/.exec(readFileSync(header, "utf8"));
  const revision = m?.[1] ?? "unknown";
  const version = SUPPORTED_REVISIONS[revision];
  if (!version) {
    fail("TC151", `CMSIS-NN at ${root} has arm_nnfunctions.h revision ${revision}; supported: ${Object.entries(SUPPORTED_REVISIONS).map(([r, v]) => `${v} (V.${r})`).join(", ")}`, { file: header });
  }
  return { root, version, revision };
}

/** arm_nnfunctions.h $Revision of each supported CMSIS-NN version. */
const SUPPORTED_REVISIONS: Readonly<Record<string, CmsisNnInfo["version"]>> = {
  "18.0.0": "v7.0.0",
  "19.1.0": "4ab83cc3",
};

export interface CmsisNnInfo {
  readonly root: string;
  readonly version: "v7.0.0" | "4ab83cc3";
  readonly revision: string;
}

interface Operands { readonly input: string; readonly output: string; readonly index: number }
interface MacOperands extends Operands { readonly filter: string; readonly bias: string; readonly mult: string; readonly shift: string }

const notYet = (): never => fail("TC150", "the cmsis-nn backend is not available in this build yet; use --backend portable");

export function convScratchBytes(_p: ConvParams, _t: Target): number { return 0; }
export function depthwiseScratchBytes(_p: DepthwiseParams, _t: Target): number { return 0; }
export function avgpoolScratchBytes(_p: PoolParams, _t: Target): number { return 0; }
export function fullyConnectedScratchBytes(_p: FullyConnectedParams, _t: Target): number { return 0; }
export function emitConv(_c: EmitContext, _p: ConvParams, _o: MacOperands): void { notYet(); }
export function emitDepthwise(_c: EmitContext, _p: DepthwiseParams, _o: MacOperands): void { notYet(); }
export function emitAvgPool(_c: EmitContext, _p: PoolParams, _o: Operands): void { notYet(); }
export function emitFullyConnected(_c: EmitContext, _p: FullyConnectedParams, _o: MacOperands): void { notYet(); }
export function emitSoftmax(_c: EmitContext, _p: SoftmaxParams, _o: Operands): void { notYet(); }
