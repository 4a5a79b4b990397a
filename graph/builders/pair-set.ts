/**
 * The set of connected pairs as one bit per ordered slot i·N + j (only i < j is used), plus the
 * sampler of uniformly random allowed unconnected pairs that every random builder shares.
 * N = 2294 → 5.3 M bits ≈ 660 KB: "is (i, j) connected" is one load and a mask.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';

export class PairSet {
  readonly N: number;
  readonly bits: Uint32Array;
  private readonly inputEnd: number;
  private readonly outputStart: number;

  constructor(layout: Layout) {
    this.N = layout.N;
    this.bits = new Uint32Array(Math.ceil((layout.N * layout.N) / 32));
    this.inputEnd = layout.offsets[1];
    this.outputStart = layout.offsets[layout.outputLayer];
  }

  has(i: number, j: number): boolean {
    const k = i < j ? i * this.N + j : j * this.N + i;
    return (this.bits[k >>> 5] & (1 << (k & 31))) !== 0;
  }

  add(i: number, j: number): void {
    const k = i < j ? i * this.N + j : j * this.N + i;
    this.bits[k >>> 5] |= 1 << (k & 31);
  }

  delete(i: number, j: number): void {
    const k = i < j ? i * this.N + j : j * this.N + i;
    this.bits[k >>> 5] &= ~(1 << (k & 31));
  }

  /** Self, input–input and output–output pairs may never be connected (SPEC §4). */
  allowed(i: number, j: number): boolean {
    if (i === j) return false;
    if (i < this.inputEnd && j < this.inputEnd) return false;
    if (i >= this.outputStart && j >= this.outputStart) return false;
    return true;
  }

  /**
   * A uniformly random allowed pair that is not connected, as [lo, hi] with lo < hi.
   * Rejection sampling over ordered pairs: each unordered pair has two ordered draws, so the
   * accepted pair is uniform. The caller guarantees at least one such pair exists. `accepts`
   * narrows the candidates further (a skip rule); the result is uniform over what it accepts.
   */
  randomFreePair(rng: Rng, accepts?: (i: number, j: number) => boolean): [number, number] {
    const N = this.N;
    for (;;) {
      const i = rng.int(N);
      const j = rng.int(N);
      if (!this.allowed(i, j) || this.has(i, j)) continue;
      if (accepts && !accepts(i, j)) continue;
      return i < j ? [i, j] : [j, i];
    }
  }

  /** Every connected pair in ascending (src, dst) order: the canonical edge order. */
  toSortedPairs(count: number): { src: Int32Array; dst: Int32Array } {
    const src = new Int32Array(count);
    const dst = new Int32Array(count);
    const N = this.N;
    const bits = this.bits;
    let e = 0;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const low = word & -word;
        const k = w * 32 + (31 - Math.clz32(low));
        word ^= low;
        if (e >= count)
          throw new Error('eqprop/topology: pair set holds more pairs than counted; expected the counts to agree');
        src[e] = Math.floor(k / N);
        dst[e] = k - src[e] * N;
        e++;
      }
    }
    if (e !== count)
      throw new Error(`eqprop/topology: pair set holds ${e} pairs, counted ${count}; expected the counts to agree`);
    return { src, dst };
  }
}
