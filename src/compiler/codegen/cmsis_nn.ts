/**
 * All CMSIS-NN calls in one module (filled in with the cmsis-nn backend).
 */
import { fail } from "../../diagnostics.js";
import type { Target } from "../../targets.js";
import type { ConvParams } from "../ops/conv2d.js";
import type { DepthwiseParams } from "../ops/depthwise_conv2d.js";
import type { PoolParams } from "../ops/average_pool2d.js";
import type { FullyConnectedParams } from "../ops/fully_connected.js";
import type { SoftmaxParams } from "../ops/softmax.js";
import type { EmitContext } from "../ops/types.js";

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
