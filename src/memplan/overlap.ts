/**
 * Overlap rules and the conflicts placement must respect. Two buffers alive at
 * one step conflict: with d = offset(b) − offset(a), their bytes must not meet,
 * so d may not lie strictly between −bytes(b) and bytes(a). An overlap rule (an
 * op whose kernel may write its output over an input that dies at that op)
 * narrows that forbidden range to (max(−bytes(out), forward), min(bytes(in),
 * backward)): at d ≤ forward the kernel runs in its normal order, at d ≥
 * backward in reverse.
 */
import { alignUp, lifetimesOverlap, type BufferRecord, type OverlapRule } from "./types.js";

export type { OverlapRule } from "./types.js";

/** Placing buffer `buffer` after `other`: offset(buffer) − offset(other) may not lie strictly inside (lo, hi). */
export interface Conflict {
  readonly other: number;
  readonly lo: number;
  readonly hi: number;
}

/** The forbidden range of offset(b) − offset(a) for two buffers alive at one step. */
export function forbiddenRange(a: BufferRecord, b: BufferRecord, rule: OverlapRule | undefined): readonly [number, number] {
  if (!rule) return [-b.bytes, a.bytes];
  const backward = rule.backward ?? Infinity;
  if (rule.input === a.id) return [Math.max(-b.bytes, rule.forward), Math.min(a.bytes, backward)];
  // a is the rule's output, b its input: negate the range for offset(output) − offset(input).
  return [-Math.min(b.bytes, backward), -Math.max(-a.bytes, rule.forward)];
}

/** The rule (if any) between two buffers, by their ids in either order. */
export function ruleLookup(rules: readonly OverlapRule[]): (a: number, b: number) => OverlapRule | undefined {
  const byPair = new Map<string, OverlapRule>();
  for (const r of rules) {
    byPair.set(`${r.input}:${r.output}`, r);
    byPair.set(`${r.output}:${r.input}`, r);
  }
  return (a, b) => (rules.length ? byPair.get(`${a}:${b}`) : undefined);
}

/** Bytes a rule's output shares with its input at the given offsets (0 when placed apart). */
export function sharedBytes(input: BufferRecord, output: BufferRecord, inputOffset: number, outputOffset: number): number {
  return Math.max(0, Math.min(inputOffset + input.bytes, outputOffset + output.bytes) - Math.max(inputOffset, outputOffset));
}

/** For every buffer (by position in `buffers`), its conflicts with the others, as positions. */
export function conflictLists(buffers: readonly BufferRecord[], rules: readonly OverlapRule[] = []): Conflict[][] {
  const ruleFor = ruleLookup(rules);
  // Buffers sorted by first use: only those starting before b's end can meet it.
  const lists: Conflict[][] = buffers.map(() => []);
  const byStart = buffers.map((b, i) => ({ b, i })).sort((x, y) => x.b.firstUse - y.b.firstUse);
  for (let x = 0; x < byStart.length; x++) {
    const { b: a, i } = byStart[x]!;
    for (let y = x + 1; y < byStart.length && byStart[y]!.b.firstUse <= a.lastUse; y++) {
      const { b, i: j } = byStart[y]!;
      if (!lifetimesOverlap(a, b)) continue;
      const rule = ruleFor(a.id, b.id);
      const [lo, hi] = forbiddenRange(a, b, rule);
      if (hi - lo <= 1) continue; // the rule allows every offset
      lists[j]!.push({ other: i, lo, hi });
      lists[i]!.push({ other: j, lo: -hi, hi: -lo });
    }
  }
  return lists;
}

/** True when the kernel of `rule`'s op must run in reverse for these offsets: the buffers meet, beyond the forward margin. */
export function runsInReverse(rule: OverlapRule, input: BufferRecord, output: BufferRecord, inputOffset: number, outputOffset: number): boolean {
  return sharedBytes(input, output, inputOffset, outputOffset) > 0 && outputOffset - inputOffset > rule.forward;
}

/**
 * The fewest aligned bytes the rule's input and output can span together:
 * each at an aligned offset, either apart or overlapping as the rule allows.
 */
export function minSpan(rule: Pick<OverlapRule, "forward" | "backward">, inputBytes: number, outputBytes: number, align: number): number {
  const a = alignUp(inputBytes, align), b = alignUp(outputBytes, align);
  const span = (d: number) => Math.max(a, d + b) - Math.min(0, d);
  // span(d) is smallest, max(a, b), for d between min(0, a − b) and max(0, a − b).
  const flatLo = Math.min(0, a - b), flatHi = Math.max(0, a - b);
  const f = Math.floor(rule.forward / align) * align;
  let best = a + b;
  best = Math.min(best, f >= flatLo ? Math.max(a, b) : span(f));
  if (rule.backward !== undefined) {
    const r = Math.ceil(rule.backward / align) * align;
    best = Math.min(best, r <= flatHi ? Math.max(a, b) : span(r));
  }
  return best;
}
