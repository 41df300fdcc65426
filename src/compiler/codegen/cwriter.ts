/**
 * A small typed printer for C: lines, indented blocks and constant arrays.
 * Ops emit their statements through it instead of concatenating strings.
 */
export class CWriter {
  private readonly out: string[] = [];
  private depth = 0;

  line(text = ""): this {
    this.out.push(text === "" ? "" : "    ".repeat(this.depth) + text);
    return this;
  }

  lines(texts: readonly string[]): this {
    for (const t of texts) this.line(t);
    return this;
  }

  comment(text: string): this {
    return this.line(`/* ${text.replace(/\*\//g, "* /")} */`);
  }

  block(header: string, body: () => void, trailer = "}"): this {
    this.line(`${header} {`);
    this.depth++;
    body();
    this.depth--;
    return this.line(trailer);
  }

  /** `decl = { v0, v1, ... };` with `perLine` values a line. */
  array(decl: string, values: ArrayLike<number | string>, perLine = 16): this {
    this.line(`${decl} = {`);
    this.depth++;
    for (let i = 0; i < values.length; i += perLine) {
      const chunk: string[] = [];
      for (let j = i; j < Math.min(values.length, i + perLine); j++) chunk.push(String(values[j]));
      this.line(chunk.join(", ") + ",");
    }
    if (values.length === 0) this.line("0");
    this.depth--;
    return this.line("};");
  }

  append(other: CWriter): this {
    for (const l of other.out) this.out.push(l === "" ? "" : "    ".repeat(this.depth) + l);
    return this;
  }

  toString(): string {
    return this.out.join("\n") + "\n";
  }
}

/** A C integer literal for an int32 value (INT32_MIN needs care in C). */
export function cInt32(v: number): string {
  return v === -2147483648 ? "(-2147483647 - 1)" : String(v);
}
