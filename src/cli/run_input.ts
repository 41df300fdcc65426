/**
 * `tinyc run`'s inputs and class names from its flags (--input, --image with
 * --pixels, --labels). The demo builds its inputs here too and prints the flags,
 * so that `tinyc run` with those flags feeds the model the same bytes.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { CompiledModel } from "../compile.js";
import { elementCount } from "../compiler/ir.js";
import { tensorOf } from "../compiler/ops/common.js";
import { fail } from "../diagnostics.js";
import { imageInput, readRawInput, type ImageInput, type PixelMode } from "../inputs.js";

export const DEFAULT_PIXELS: PixelMode = "centered";

/** The input flags of `tinyc run`. */
export interface InputFlags {
  readonly input?: readonly string[];
  readonly image?: string;
  readonly pixels?: PixelMode;
}

/** The input bytes the flags give (undefined: the default xorshift inputs), and the image read, if any. */
export function runInput(c: CompiledModel, flags: InputFlags): { input?: Uint8Array | Int8Array[]; image?: ImageInput } {
  const files = flags.input ?? [];
  if (files.length > 0 && flags.image) fail("TC121", "inputAndImage", {});
  if (flags.pixels !== undefined && !flags.image) fail("TC121", "pixelsWithoutImage", {});
  if (!flags.image) return { input: files.length > 0 ? files.map(readRawInput) : undefined };
  if (c.graph.inputs.length !== 1) fail("TC121", "imageInputs", { count: c.graph.inputs.length });
  const { bytes, image } = imageInput(flags.image, flags.pixels ?? DEFAULT_PIXELS, tensorOf(c.graph, c.graph.inputs[0]!));
  return { input: bytes, image };
}

/** A path as a user would type it: relative to the working directory when that is shorter. */
function shown(path: string): string {
  const r = relative(process.cwd(), path);
  const p = r !== "" && r.length < path.length ? r : path;
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`;
}

/** The `tinyc run` command line that feeds a model these inputs. */
export function runCommand(model: string, flags: InputFlags, extra: readonly string[] = []): string {
  const args = [
    ...(flags.input ?? []).flatMap((f) => ["--input", shown(f)]),
    ...(flags.image ? ["--image", shown(flags.image), "--pixels", flags.pixels ?? DEFAULT_PIXELS] : []),
    ...extra,
  ];
  return ["tinyc", "run", shown(model), ...args].join(" ");
}

/** One line per class name, in output order; a coded error when the file cannot be read or names fewer classes than `elements`. */
export function readLabels(path: string, elements: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    fail("TC100", "labels", { path, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }, { file: path });
  }
  const names = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (names.length > 0 && names.at(-1)!.trim() === "") names.pop();
  if (names.length < elements) {
    fail("TC120", "labels", { names: `${names.length} class name${names.length === 1 ? "" : "s"}`, elements }, { file: path });
  }
  return names;
}

/** The first output's element count: what --labels must name. */
export function classCount(c: CompiledModel): number {
  return elementCount(tensorOf(c.graph, c.graph.outputs[0]!).shape);
}

export interface ClassScore {
  readonly index: number;
  readonly label: string;
  readonly score: number;
}

/** Each element of an output with its class name, in output order. */
export function classScores(labels: readonly string[], output: ArrayLike<number>): ClassScore[] {
  return Array.from({ length: output.length }, (_, index) => ({ index, label: labels[index]!, score: output[index]! }));
}
