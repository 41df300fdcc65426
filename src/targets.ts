/**
 * Targets are data (targets/*.json): CPU and its features, compiler flags, the
 * QEMU machine that emulates it, where flash and RAM sit in that machine, and the
 * flash/RAM of a real part, which the linker script enforces. Code reads these
 * fields; it never branches on a target's name.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fail } from "./diagnostics.js";
import { packageRoot } from "./paths.js";

export interface Target {
  readonly name: string;
  readonly description: string;
  readonly cpu: string;
  /** DSP extension (SMLAD etc.): CMSIS-NN's DSP paths. */
  readonly dsp: boolean;
  /** Helium (M-profile vector extension): CMSIS-NN's MVE paths. */
  readonly mve: boolean;
  readonly cflags: readonly string[];
  /** The build machine itself: built with the host's C compiler and run natively; no emulator, no part. */
  readonly host?: boolean;
  readonly qemu?: {
    readonly machine: string;
    readonly cpu: string;
    /** SysTick clock; with -icount shift=0 one instruction takes 1 ns. */
    readonly systickHz: number;
  };
  readonly memory?: {
    readonly flashOrigin: number;
    readonly ramOrigin: number;
    /** How much the emulated machine maps at those origins (the part's sizes must fit). */
    readonly flashMapped: number;
    readonly ramMapped: number;
  };
  readonly part?: {
    readonly name: string;
    readonly flashBytes: number;
    readonly ramBytes: number;
    /** The part's core clock: run and check turn estimated cycles into time at it unless --clock says otherwise. */
    readonly clockHz: number;
  };
}

/** A target with an emulator and a part (every one but `host`). */
export interface EmulatedTarget extends Target {
  readonly qemu: NonNullable<Target["qemu"]>;
  readonly memory: NonNullable<Target["memory"]>;
  readonly part: NonNullable<Target["part"]>;
}

/** The target as an emulated part, or a coded error saying `what` needs one. */
export function emulated(t: Target, what: string): EmulatedTarget {
  if (!t.qemu || !t.memory || !t.part) fail("TC121", "notEmulated", { what, target: t.name, description: t.description.split(":")[0]! });
  return t as EmulatedTarget;
}

export function targetsDir(): string {
  return join(packageRoot(), "targets");
}

export function listTargets(): string[] {
  return readdirSync(targetsDir()).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
}

export function loadTarget(name: string): Target {
  const names = listTargets();
  if (!names.includes(name)) fail("TC130", "unknown", { name, targets: names.join(", ") });
  const raw = JSON.parse(readFileSync(join(targetsDir(), `${name}.json`), "utf8")) as Omit<Target, "memory"> & {
    memory?: Record<keyof NonNullable<Target["memory"]>, string | number>;
  };
  const num = (v: string | number) => (typeof v === "number" ? v : Number(v));
  return {
    ...raw,
    name,
    memory: raw.memory && {
      flashOrigin: num(raw.memory.flashOrigin), ramOrigin: num(raw.memory.ramOrigin),
      flashMapped: num(raw.memory.flashMapped), ramMapped: num(raw.memory.ramMapped),
    },
  };
}
