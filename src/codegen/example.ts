/**
 * main.c for `tinyc compile --example`: a program that runs the model once,
 * the starting point for calling it from firmware. On the host target it reads
 * every input's raw bytes from a file (argv[1]; zeros without one) and prints
 * every output's values; on a Cortex-M part it times invoke() with the DWT
 * cycle counter (enabled through the CoreDebug and DWT registers by address,
 * no CMSIS headers) and keeps the count in a volatile variable for a debugger
 * to read. A streamed input (--stream-input) gets its row callback: rows read
 * from the file on the host, zeros on a part (where a camera driver would
 * deliver them).
 */
import { tensorBytes, type Graph, type Tensor } from "../compiler/ir.js";
import { CWriter } from "../kernels/cwriter.js";
import type { MemoryPlan } from "../memplan/plan.js";
import { streamedInputs } from "../memplan/segments.js";
import type { Target } from "../targets.js";
import type { GeneratedModel } from "./generate.js";
import { banner, inputRowCallback, interfaceTensors, type InterfaceTensor } from "./header.js";
import type { Names } from "./naming.js";

/** What main.c is made from (a compiled model has all of it). */
export interface ExampleInput {
  readonly graph: Graph;
  readonly plan: MemoryPlan;
  readonly generated: GeneratedModel;
  readonly target: Target;
}

/** The example program's source, main.c. */
export function exampleMain(c: ExampleInput): string {
  const names = c.generated.names;
  const streamed = streamedInputs(c.plan.segments);
  const inputs = interfaceTensors(c.graph).filter((io) => io.role === "input").map((io, k, all) => ({
    io, streamed: streamed.has(io.tensor.id), offset: all.slice(0, k).reduce((n, x) => n + tensorBytes(x.tensor), 0),
  }));
  const w = new CWriter().line(banner(c.graph));
  return (c.target.host ? hostMain(w, c, names, inputs) : partMain(w, c, names, inputs)).toString();
}

interface ExampleInputTensor {
  readonly io: InterfaceTensor;
  readonly streamed: boolean;
  /** Where its bytes start in the input file (the inputs concatenated in input order). */
  readonly offset: number;
}

const inputLine = (io: InterfaceTensor) => `input ${io.index} '${io.tensor.name}' ${io.tensor.dtype} [${io.tensor.shape.join(", ")}]: ${tensorBytes(io.tensor)} bytes`;

/** The host's program: the inputs from a file, the outputs printed. */
function hostMain(w: CWriter, c: ExampleInput, n: Names, inputs: readonly ExampleInputTensor[]): CWriter {
  const total = inputs.reduce((s, x) => s + tensorBytes(x.io.tensor), 0);
  w.comment(`One inference of ${c.graph.name} on the build machine (target ${c.target.name}): ${n.prefix}_example [input.bin]`)
    .comment(`input.bin holds every input's raw bytes (NHWC; little-endian for float32), concatenated in input order, ${total} bytes:`);
  for (const x of inputs) w.comment(`  ${inputLine(x.io)} at offset ${x.offset}${x.streamed ? " (streamed: read row by row)" : ""}`);
  w.comment("Without a file the inputs are zeros. Prints one line per output, in output order: \"output<k>:\" and its values.")
    .lines(["#include <stdint.h>", "#include <stdio.h>", "#include <string.h>", '#include "model.h"', ""])
    .line(`#define EXAMPLE_INPUT_BYTES ${total}L`).line()
    .line("static FILE *input_file; /* NULL: the inputs are zeros */").line()
    .comment("Writes `bytes` bytes from `offset` in the input file to `dst` (zeros without a file); 0 on success.")
    .block("static int read_input(void *dst, long offset, size_t bytes)", () => {
      w.block("if (input_file == NULL)", () => w.line("memset(dst, 0, bytes);").line("return 0;"));
      w.line("return fseek(input_file, offset, SEEK_SET) != 0 || fread(dst, 1, bytes, input_file) != bytes;");
    }).line()
    .comment("Opens the input file and checks its size; 0 on success.")
    .block("static int open_input(const char *path)", () => {
      w.line("long size;").line('input_file = fopen(path, "rb");');
      w.block("if (input_file == NULL)", () => w.line("perror(path);").line("return 1;"));
      w.block("if (fseek(input_file, 0, SEEK_END) != 0 || (size = ftell(input_file)) != EXAMPLE_INPUT_BYTES)", () => {
        w.line(`fprintf(stderr, "%s: not %ld bytes long (every input's raw bytes, in input order)\\n", path, EXAMPLE_INPUT_BYTES);`).line("return 1;");
      });
      w.line("return 0;");
    }).line();
  for (const x of inputs.filter((i) => i.streamed)) {
    const rowBytes = `${x.io.macro(n)}_ROW_BYTES`;
    w.comment(`Input ${x.io.index} is streamed: invoke() asks for its rows in order; each comes from the file (or is zeros).`)
      .block(`int ${inputRowCallback(x.io, n)}(int32_t y, int8_t *row)`, () => w.line(`return read_input(row, ${x.offset}L + (long)y * ${rowBytes}, (size_t)${rowBytes});`))
      .line();
  }
  return w.block("int main(int argc, char **argv)", () => {
    w.line("int status, i;");
    w.block("if (argc > 2)", () => w.line('fprintf(stderr, "usage: %s [input.bin] (%ld bytes: every input\'s raw bytes, in input order)\\n", argv[0], EXAMPLE_INPUT_BYTES);').line("return 2;"));
    w.block("if (argc == 2 && open_input(argv[1]) != 0)", () => w.line("return 2;"));
    for (const x of inputs.filter((i) => !i.streamed)) {
      w.block(`if (read_input(${x.io.accessor(n)}(), ${x.offset}L, (size_t)${x.io.macro(n)}_BYTES) != 0)`, () => {
        w.line(`fprintf(stderr, "%s: cannot read input ${x.io.index}\\n", argv[1]);`).line("return 2;");
      });
    }
    w.line(`status = ${n.invoke}();`);
    w.block("if (input_file != NULL)", () => w.line("fclose(input_file);"));
    w.block("if (status != 0)", () => w.line('fprintf(stderr, "invoke() returned %d: op %d stopped it\\n", status, status - 1);').line("return 1;"));
    for (const io of interfaceTensors(c.graph).filter((x) => x.role === "output")) printOutput(w, io, n);
    w.line("return 0;");
  });
}

/** printf of one output's values: "output<k>: v0 v1 ...". */
function printOutput(w: CWriter, io: InterfaceTensor, n: Names): void {
  const [ctype, format, cast] = formatOf(io.tensor);
  w.block("", () => {
    w.line(`const ${ctype} *out = ${io.accessor(n)}();`).line(`printf("output${io.index}:");`);
    w.block(`for (i = 0; i < ${io.macro(n)}_ELEMENTS; i++)`, () => w.line(`printf(" ${format}", (${cast})out[i]);`));
    w.line('printf("\\n");');
  });
}

/** The element's C type, its printf conversion and the type it is passed as (floats to 9 digits: they read back exactly). */
function formatOf(t: Tensor): [string, string, string] {
  if (t.dtype === "float32") return ["float", "%.9g", "double"];
  if (t.dtype === "uint8") return ["uint8_t", "%u", "unsigned"];
  return ["int8_t", "%d", "int"];
}

/** A Cortex-M part's program: invoke() on zeros, timed by the DWT cycle counter, the count left for a debugger. */
function partMain(w: CWriter, c: ExampleInput, n: Names, inputs: readonly ExampleInputTensor[]): CWriter {
  w.comment(`One inference of ${c.graph.name} on a ${c.target.cpu} (target ${c.target.name}), timed with the DWT cycle counter.`)
    .comment("There is no printf on a bare part: after invoke() main() spins; halt it in a debugger and read")
    .comment("  (gdb) print example_cycles     the core clock cycles invoke() took (0 where the core has no counter, and in QEMU)")
    .comment("  (gdb) print example_status     0, or 1 + the op that stopped invoke()")
    .comment(`The outputs are at ${interfaceTensors(c.graph).filter((x) => x.role === "output").map((x) => `${x.accessor(n)}()`).join(", ")}.`)
    .comment("The program tinyc's build files link uses newlib's default memory map: link main.c with your part's startup file and linker script to run it.")
    .lines(["#include <stdint.h>", "#include <string.h>", '#include "model.h"', ""])
    .comment("CoreDebug's DEMCR and the DWT (Armv7-M and Armv8-M), by address: no CMSIS headers needed.")
    .lines([
      "#define EXAMPLE_DEMCR (*(volatile uint32_t *)0xE000EDFCu)",
      "#define EXAMPLE_DEMCR_TRCENA (1u << 24)",
      "#define EXAMPLE_DWT_CTRL (*(volatile uint32_t *)0xE0001000u)",
      "#define EXAMPLE_DWT_CTRL_CYCCNTENA 1u",
      "#define EXAMPLE_DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)",
      "#define EXAMPLE_DWT_LAR (*(volatile uint32_t *)0xE0001FB0u)",
      "",
      "volatile uint32_t example_cycles;",
      "volatile int example_status = -1; /* -1 until invoke() returns */",
      "",
    ]);
  for (const x of inputs.filter((i) => i.streamed)) {
    w.comment(`Input ${x.io.index} is streamed: invoke() asks for its rows in order. Your camera driver writes row y here; the example writes zeros.`)
      .block(`int ${inputRowCallback(x.io, n)}(int32_t y, int8_t *row)`, () => w.line("(void)y;").line(`memset(row, 0, ${x.io.macro(n)}_ROW_BYTES);`).line("return 0;"))
      .line();
  }
  return w.block("int main(void)", () => {
    w.line("uint32_t start;")
      .line("EXAMPLE_DEMCR |= EXAMPLE_DEMCR_TRCENA; /* trace on: the DWT runs */")
      .line("EXAMPLE_DWT_LAR = 0xC5ACCE55u; /* unlocks the DWT where it has a software lock (Cortex-M7); write-ignored elsewhere */")
      .line("EXAMPLE_DWT_CYCCNT = 0u;")
      .line("EXAMPLE_DWT_CTRL |= EXAMPLE_DWT_CTRL_CYCCNTENA;");
    for (const x of inputs.filter((i) => !i.streamed)) {
      w.line(`memset(${x.io.accessor(n)}(), 0, ${x.io.macro(n)}_BYTES); /* your data goes here */`);
    }
    w.line("start = EXAMPLE_DWT_CYCCNT;")
      .line(`example_status = ${n.invoke}();`)
      .line("example_cycles = EXAMPLE_DWT_CYCCNT - start;")
      .block("for (;;)", () => undefined);
  });
}
