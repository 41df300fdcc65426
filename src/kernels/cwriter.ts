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

  /**
   * A one-line comment. Its text may come from the model (tensor names hold
   * anything), so it can neither close the comment, open a nested one
   * (-Wcomment), form a trigraph (`??/` is a line continuation under -std=c99)
   * nor break the line.
   */
  comment(text: string): this {
    return this.line(cComment(text));
  }

  block(header: string, body: () => void, trailer = "}"): this {
    this.line(header ? `${header} {` : "{");
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

  /** The lines written, joined by newlines (no newline after the last). */
  text(): string {
    return this.out.join("\n");
  }

  toString(): string {
    return this.text() + "\n";
  }
}

/** A one-line C comment around `text`, which can then neither close the comment, nest one, form a trigraph nor break the line. */
export function cComment(text: string): string {
  return `/* ${oneLine(text).replace(/\*\//g, "* /").replace(/\/\*/g, "/ *").replace(/\?\?/g, "? ?")} */`;
}

/** Text from the model (names, paths) on one line: control characters become spaces. */
export function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, " ");
}

/** A C integer literal for an int32 value (INT32_MIN needs care in C). */
export function cInt32(v: number): string {
  return v === -2147483648 ? "(-2147483647 - 1)" : String(v);
}
