/**
 * The kernel families, in one ordered list (adding a family adds one line
 * here), and the one place that resolves which family's kernel runs an op: the
 * chosen backend's, or, when it has none for that op (or that instance of it),
 * its fallback's, with the reason kept for the report. The lowering stage
 * asks here, once per op; nothing else names a family.
 */
import { opModule } from "../compiler/ops/index.js";
import { cmsisNn } from "./cmsis_nn/index.js";
import { dsp } from "./dsp/index.js";
import { portable } from "./portable/index.js";
import type { Target } from "../targets.js";
import type { FamilyOptions, FamilySetup, KernelFamily, KernelOp, OpKernel } from "./types.js";

export const FAMILIES = [portable, dsp, cmsisNn] as const;

/** A `--backend` name: one of the registered families. */
export type Backend = (typeof FAMILIES)[number]["name"];
export const BACKENDS: readonly Backend[] = FAMILIES.map((f) => f.name);

export function kernelFamily(name: string): KernelFamily {
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`tinyc internal error: no kernel family '${name}'`);
  return f;
}

/** The default `--backend` for a target: the first family that claims it, else portable. */
export function defaultBackend(target: Target): Backend {
  return (FAMILIES.find((f) => f.defaultOn?.(target))?.name ?? "portable") as Backend;
}

/** The backend's family followed by its fallbacks, in the order they are tried. */
export function familyChain(backend: string): readonly KernelFamily[] {
  const chain: KernelFamily[] = [];
  for (let f: KernelFamily | undefined = kernelFamily(backend); f; f = f.fallback ? kernelFamily(f.fallback) : undefined) {
    if (chain.includes(f)) throw new Error(`tinyc internal error: kernel family fallbacks loop at '${f.name}'`);
    chain.push(f);
  }
  return chain;
}

/** A family bound to the user's environment for one compile. */
export interface BoundFamily {
  readonly family: KernelFamily;
  readonly setup?: FamilySetup;
}

/** The backend's chain, each family set up from the compile options (e.g. finding the CMSIS-NN tree). */
export function bindFamilies(backend: string, options: FamilyOptions): readonly BoundFamily[] {
  return familyChain(backend).map((family) => ({ family, setup: family.setup?.(options) }));
}

/** Kernels are typed by their op's parameters; the registry hands each the op it was registered for. */
const asOp = (op: KernelOp) => op as KernelOp<never>;

/** The kernel that runs an op, and, when a fallback runs it, why (for the report). */
export interface KernelChoice {
  readonly family: KernelFamily;
  readonly kernel: OpKernel<never>;
  readonly note?: string;
}

/**
 * The first family in the backend's chain that runs `op` (the backend's own
 * kernel, or a fallback's with the reason kept), or undefined when none does
 * (ops that only fold at compile time). Views need no kernel: undefined too.
 */
export function findKernel(backend: string, op: KernelOp): KernelChoice | undefined {
  if (opModule(op.node).aliasesInput) return undefined;
  let why: string | undefined;
  for (const family of familyChain(backend)) {
    const entry = family.kernels[op.node.kind];
    const kernel = typeof entry === "object" ? (entry as OpKernel<never>) : undefined;
    const reason = kernel ? kernel.unsupported?.(asOp(op)) : (entry as string | undefined);
    if (kernel && reason === undefined) return { family, kernel, note: why === undefined ? undefined : `runs ${family.describes}: ${why}` };
    why ??= reason ?? `${family.name} has no ${op.node.kind} kernel`;
  }
  return undefined;
}
