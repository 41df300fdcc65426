/**
 * Bounds-checked access to a flatbuffer. The flatbuffers runtime reads whatever
 * bytes an offset points at; a truncated or corrupt .tflite must instead give a
 * clear error, so every offset, vtable and vector is checked against the file
 * size here before it is read. Tables are addressed by field id (vtable slot).
 */
import { ByteBuffer } from "flatbuffers";

/** Thrown for any out-of-bounds or malformed structure; the reader turns it into TC102. */
export class CorruptFlatbuffer extends Error {}

export class FlatFile {
  readonly bb: ByteBuffer;
  readonly size: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.length;
  }

  check(pos: number, bytes: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || bytes < 0 || pos + bytes > this.size) {
      throw new CorruptFlatbuffer(`${what} at byte ${pos} (+${bytes}) lies outside the file (${this.size} bytes)`);
    }
  }

  u8(pos: number): number { this.check(pos, 1, "byte"); return this.bb.readUint8(pos); }
  i8(pos: number): number { this.check(pos, 1, "byte"); return this.bb.readInt8(pos); }
  u16(pos: number): number { this.check(pos, 2, "uint16"); return this.bb.readUint16(pos); }
  i32(pos: number): number { this.check(pos, 4, "int32"); return this.bb.readInt32(pos); }
  u32(pos: number): number { this.check(pos, 4, "uint32"); return this.bb.readUint32(pos); }
  f32(pos: number): number { this.check(pos, 4, "float32"); return this.bb.readFloat32(pos); }
  i64(pos: number): number { this.check(pos, 8, "int64"); return Number(this.bb.readInt64(pos)); }

  root(): FlatTable {
    return this.table(this.u32(0), "root table");
  }

  table(pos: number, what: string): FlatTable {
    this.check(pos, 4, what);
    const vtable = pos - this.i32(pos);
    this.check(vtable, 4, `${what} vtable`);
    const vtableBytes = this.u16(vtable);
    if (vtableBytes < 4 || vtableBytes % 2 !== 0) throw new CorruptFlatbuffer(`${what} has a malformed vtable (${vtableBytes} bytes)`);
    this.check(vtable, vtableBytes, `${what} vtable`);
    this.check(pos, this.u16(vtable + 2), what);
    return new FlatTable(this, pos, vtable, vtableBytes, what);
  }
}

export class FlatTable {
  constructor(
    readonly file: FlatFile,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableBytes: number,
    readonly what: string,
  ) {}

  /** Absolute position of a field's value, or 0 when the field is absent. */
  field(id: number): number {
    const slot = 4 + 2 * id;
    if (slot >= this.vtableBytes) return 0;
    const off = this.file.u16(this.vtable + slot);
    return off === 0 ? 0 : this.pos + off;
  }

  has(id: number): boolean { return this.field(id) !== 0; }
  u8(id: number, def = 0): number { const p = this.field(id); return p ? this.file.u8(p) : def; }
  i8(id: number, def = 0): number { const p = this.field(id); return p ? this.file.i8(p) : def; }
  bool(id: number, def = false): boolean { const p = this.field(id); return p ? this.file.u8(p) !== 0 : def; }
  i32(id: number, def = 0): number { const p = this.field(id); return p ? this.file.i32(p) : def; }
  u32(id: number, def = 0): number { const p = this.field(id); return p ? this.file.u32(p) : def; }
  f32(id: number, def = 0): number { const p = this.field(id); return p ? this.file.f32(p) : def; }
  i64(id: number, def = 0): number { const p = this.field(id); return p ? this.file.i64(p) : def; }

  table(id: number, what: string): FlatTable | undefined {
    const p = this.field(id);
    return p ? this.file.table(p + this.file.u32(p), what) : undefined;
  }

  private vector(id: number, elementBytes: number, what: string): { start: number; length: number } | undefined {
    const p = this.field(id);
    if (!p) return undefined;
    const v = p + this.file.u32(p);
    const length = this.file.u32(v);
    this.file.check(v + 4, length * elementBytes, `${this.what}.${what} (${length} elements)`);
    return { start: v + 4, length };
  }

  /** Absolute position of a vector's first element (tests patch bytes there). */
  vectorStart(id: number, elementBytes: number): number | undefined {
    return this.vector(id, elementBytes, "vector")?.start;
  }

  i32Vector(id: number, what: string): number[] | undefined {
    const v = this.vector(id, 4, what);
    return v && Array.from({ length: v.length }, (_, i) => this.file.i32(v.start + 4 * i));
  }
  f32Vector(id: number, what: string): number[] | undefined {
    const v = this.vector(id, 4, what);
    return v && Array.from({ length: v.length }, (_, i) => this.file.f32(v.start + 4 * i));
  }
  i64Vector(id: number, what: string): number[] | undefined {
    const v = this.vector(id, 8, what);
    return v && Array.from({ length: v.length }, (_, i) => this.file.i64(v.start + 8 * i));
  }
  bytes(id: number, what: string): Uint8Array | undefined {
    const v = this.vector(id, 1, what);
    return v && this.file.bytes.subarray(v.start, v.start + v.length);
  }
  tables(id: number, what: string): FlatTable[] {
    const v = this.vector(id, 4, what);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const p = v.start + 4 * i;
      return this.file.table(p + this.file.u32(p), `${what}[${i}]`);
    });
  }
  string(id: number, what: string): string | undefined {
    const b = this.bytes(id, what);
    return b && new TextDecoder("utf-8", { fatal: false }).decode(b);
  }
}
