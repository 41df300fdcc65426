/**
 * Row-streamed execution of a chain of window ops (a segment): the order of
 * work and the ring buffers it needs. The segment's last op produces its
 * output band by band (`bandRows` rows at a time); each band pulls, op by op
 * from the first, exactly the rows each op must add for its consumer's
 * windows, so every row is computed once. Each intermediate keeps only the
 * rows its consumer still needs, in a ring: row y at slot y mod rows.
 *
 * Only the vertical axis matters here: an op is its rows' geometry.
 */
import type { RowOp } from "../compiler/ops/types.js";
import { accessSteps, type AccessSteps } from "../kernels/access.js";

/** One op of a segment along the rows (its op module states it: OpModule.rows). */
export type { RowOp } from "../compiler/ops/types.js";

/** One kernel call of the schedule: op `op` computes its output rows [begin, end). */
export interface RowCall {
  readonly op: number;
  readonly begin: number;
  readonly end: number;
}

export interface SegmentSchedule {
  readonly bandRows: number;
  /** The calls in order, band after band. */
  readonly calls: readonly RowCall[];
  /** The band each call belongs to. */
  readonly band: readonly number[];
  /** Rows of the ring holding each op's output, for every op but the last (whose output is whole). */
  readonly rings: readonly number[];
}

/** The first input row op `o` reads for output row y (clipped to the image). */
export function firstRowRead(o: RowOp, y: number): number {
  return Math.min(o.inH, Math.max(0, y * o.strideH - o.padTop));
}

/** How many input rows, from the first, op `o` needs to compute its output rows [0, rows). */
export function rowsNeeded(o: RowOp, rows: number): number {
  if (rows <= 0) return 0;
  return Math.max(0, Math.min(o.inH, (rows - 1) * o.strideH - o.padTop + (o.kH - 1) * o.dilH + 1));
}

/** Checks that each op reads the one before it: its input rows are the previous output rows. */
function checkChain(ops: readonly RowOp[]): void {
  if (ops.length === 0) throw new Error("a segment needs at least one op");
  ops.forEach((o, k) => {
    if (o.kH < 1 || o.strideH < 1 || o.dilH < 1 || o.outH < 1 || o.inH < 1) throw new Error(`segment op ${k}: window, stride, dilation and sizes must be positive`);
    if (k > 0 && o.inH !== ops[k - 1]!.outH) throw new Error(`segment op ${k} reads ${o.inH} rows, op ${k - 1} writes ${ops[k - 1]!.outH}`);
    if (o.residual && (k === 0 || o.outH !== ops[0]!.inH)) throw new Error(`segment op ${k}: a residual op follows the first and has the segment input's ${ops[0]!.inH} rows`);
  });
}

/**
 * The band-by-band schedule of a segment and the fewest ring rows it allows:
 * when op k writes its rows [begin, end), its ring must still hold every row
 * its consumer will read from then on, from the first row of the consumer's
 * next output row, so it needs end - that row slots. Where the consumer's
 * window is shorter than its stride it skips rows, and a call may write more
 * rows than the ring holds: such calls are split (the layer check hashes every
 * row after its call).
 */
export function segmentSchedule(ops: readonly RowOp[], bandRows = 1): SegmentSchedule {
  checkChain(ops);
  if (!Number.isInteger(bandRows) || bandRows < 1) throw new Error(`band height ${bandRows} must be a positive integer`);
  const last = ops.length - 1;
  const done = ops.map(() => 0);
  const rings = ops.slice(0, last).map(() => 0);
  const calls: RowCall[] = [];
  const band: number[] = [];
  for (let b = 0; done[last]! < ops[last]!.outH; b++) {
    // What each op must have produced for this band, from the last op back.
    const target = ops.map(() => 0);
    target[last] = Math.min(ops[last]!.outH, (b + 1) * bandRows);
    for (let k = last; k > 0; k--) target[k - 1] = Math.max(done[k - 1]!, rowsNeeded(ops[k]!, target[k]!));
    for (let k = 0; k <= last; k++) {
      if (target[k]! <= done[k]!) continue;
      if (k < last) rings[k] = Math.max(rings[k]!, target[k]! - firstRowRead(ops[k + 1]!, done[k + 1]!));
      calls.push({ op: k, begin: done[k]!, end: target[k]! });
      band.push(b);
      done[k] = target[k]!;
    }
  }
  // A call writing more rows than its ring holds (its consumer skips rows: a window shorter than its stride) is split
  // into calls of a ring's rows, so that each row is still there to be checked after its call (the layer hook).
  const split: RowCall[] = [], splitBand: number[] = [];
  calls.forEach((c, i) => {
    const most = c.op < last ? rings[c.op]! : c.end - c.begin;
    for (let y = c.begin; y < c.end; y += most) {
      split.push({ op: c.op, begin: y, end: Math.min(c.end, y + most) });
      splitBand.push(band[i]!);
    }
  });
  return { bandRows, calls: split, band: splitBand, rings };
}

/**
 * Where a schedule run with these ring sizes would lose a row: the first call
 * that writes a row over one its consumer has yet to read or over one it
 * wrote itself, or reads a row that is no longer (or not yet) in its ring.
 * Undefined when the rings hold.
 */
export function ringViolation(ops: readonly RowOp[], calls: readonly RowCall[], rings: readonly number[]): string | undefined {
  checkChain(ops);
  // The row held by each slot of each ring (-1: empty).
  const slots = rings.map((r) => new Int32Array(Math.max(0, r)).fill(-1));
  for (const [i, c] of calls.entries()) {
    if (c.op > 0) {
      const ring = slots[c.op - 1]!, o = ops[c.op]!;
      const lo = firstRowRead(o, c.begin), hi = rowsNeeded(o, c.end);
      for (let y = lo; y < hi; y++) {
        if (ring.length === 0 || ring[y % ring.length] !== y) return `call ${i} (op ${c.op}, rows ${c.begin}..${c.end - 1}) reads row ${y} of op ${c.op - 1}, which its ring of ${ring.length} rows no longer holds`;
      }
    }
    if (c.op < rings.length) {
      const ring = slots[c.op]!;
      if (ring.length === 0) return `call ${i} (op ${c.op}) writes into a ring of no rows`;
      if (c.end - c.begin > ring.length) return `call ${i} (op ${c.op}) writes rows ${c.begin}..${c.end - 1}, more than its ring of ${ring.length} rows holds (row ${c.begin} is gone before the call ends)`;
      for (let y = c.begin; y < c.end; y++) ring[y % ring.length] = y;
    }
  }
  return undefined;
}

/**
 * The segment's access steps over its input and output (row-major tensors of
 * `inRowBytes` and `outRowBytes` per row), one per band: the input rows the
 * band's calls read (the first op's, and any residual op's), then the output
 * rows its last call writes; for the
 * overlap margins of the segment's output over its dying input.
 */
export function segmentSteps(ops: readonly RowOp[], s: SegmentSchedule, inRowBytes: number, outRowBytes: number): AccessSteps {
  const last = ops.length - 1;
  const bands = new Map<number, [number, number, number, number]>();
  s.calls.forEach((c, i) => {
    const step = bands.get(s.band[i]!) ?? [2 ** 31 - 1, -(2 ** 31), 2 ** 31 - 1, -(2 ** 31)];
    const read = (lo: number, hi: number) => {
      if (hi <= lo) return;
      step[0] = Math.min(step[0], lo * inRowBytes);
      step[1] = Math.max(step[1], hi * inRowBytes - 1);
    };
    if (c.op === 0) read(firstRowRead(ops[0]!, c.begin), rowsNeeded(ops[0]!, c.end));
    if (ops[c.op]!.residual) read(c.begin, c.end);
    if (c.op === last) {
      step[2] = Math.min(step[2], c.begin * outRowBytes);
      step[3] = Math.max(step[3], c.end * outRowBytes - 1);
    }
    bands.set(s.band[i]!, step);
  });
  return accessSteps([...bands.keys()].sort((a, b) => a - b).map((b) => bands.get(b)!));
}
