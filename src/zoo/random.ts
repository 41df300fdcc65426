/** Deterministic random numbers for the zoo (xorshift32; normal deviates by Box-Muller). */
export class Rng {
  private x: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.x = (seed >>> 0) || 0x9e3779b9;
  }

  uniform(): number {
    this.x ^= this.x << 13; this.x >>>= 0;
    this.x ^= this.x >>> 17;
    this.x ^= this.x << 5; this.x >>>= 0;
    return (this.x + 0.5) / 4294967296;
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform())), t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
}
