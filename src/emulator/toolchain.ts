/** Finding arm-none-eabi-gcc and qemu-system-arm, with an install hint when they are missing. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fail } from "../diagnostics.js";

export function which(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, tool);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface Toolchain {
  readonly gcc: string;
  readonly size: string;
  readonly qemu: string;
}

export function hasToolchain(): boolean {
  return Boolean(which("arm-none-eabi-gcc") && which("qemu-system-arm"));
}

export function requireCompiler(): { gcc: string; size: string } {
  const gcc = which("arm-none-eabi-gcc");
  if (!gcc) fail("TC140", "armTool", { tool: "arm-none-eabi-gcc" });
  return { gcc, size: which("arm-none-eabi-size") ?? gcc.replace(/gcc$/, "size") };
}

export function requireToolchain(): Toolchain {
  const { gcc, size } = requireCompiler();
  const qemu = which("qemu-system-arm");
  if (!qemu) fail("TC140", "armTool", { tool: "qemu-system-arm" });
  return { gcc, size, qemu };
}
