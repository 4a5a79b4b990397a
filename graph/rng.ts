/**
 * The one source of randomness in eqprop-lab: sfc32, a small fast counter-based PRNG with a
 * 128-bit state that can be saved and restored exactly (checkpoints need that). Seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Never use Math.random.
 */
export type RngState = [number, number, number, number];

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | RngState) {
    if (Array.isArray(seed)) {
      [this.a, this.b, this.c, this.d] = seed.map((x) => x >>> 0) as RngState;
      return;
    }
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`eqprop/rng: seed ${seed} is not an integer; expected a safe integer`);
    // splitmix32 over the low and high 32 bits of the seed
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) >>> 0, 0x9e3779b9);
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), n ≤ 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Number.isInteger(n)))
      throw new RangeError(`eqprop/rng: int(${n}); expected an integer in [1, 2^32]`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [0, n) for n up to 2^53 (pair indices of large graphs exceed 2^32). */
  bigInt(n: number): number {
    if (n <= 2 ** 32) return this.int(n);
    for (;;) {
      const x = Math.floor(this.next() * 2 ** 53);
      const limit = 2 ** 53 - (2 ** 53 % n);
      if (x < limit) return x % n;
    }
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = state.map((x) => x >>> 0) as RngState;
  }

  /** An independent stream derived from this one (consumes four draws). */
  fork(): Rng {
    return new Rng([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32() | 1]);
  }
}
