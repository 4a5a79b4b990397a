/**
 * Where a random builder's new connections come from: a uniformly random unconnected pair that the
 * skip rule accepts. Without a rule this is exactly the paper's draw (PairSet.randomFreePair, the
 * same random stream). With one, the source counts the accepted pairs still free, so a build that
 * would need more than exist fails with a clear error instead of sampling forever.
 */
import { InputError } from '../../lib/index.js';
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { ruleAcceptsPair, rulePairCount, type SkipRule } from '../skip-rule.js';
import type { WorkingEdges } from './working-edges.js';

export class NewPairSource {
  private readonly accepts: ((i: number, j: number) => boolean) | null;
  private free: number;

  constructor(
    private readonly edges: WorkingEdges,
    layout: Layout,
    rule: SkipRule | null,
  ) {
    this.accepts = rule ? ruleAcceptsPair(rule, layout) : null;
    let taken = 0;
    if (this.accepts) for (let e = 0; e < edges.count; e++) if (this.accepts(edges.src[e], edges.dst[e])) taken++;
    this.free = rule ? rulePairCount(layout.sizes, rule) - taken : Infinity;
  }

  private draw(rng: Rng): [number, number] {
    if (!this.accepts) return this.edges.pairs.randomFreePair(rng);
    if (this.free <= 0) {
      throw new InputError(
        'topology',
        'n',
        'every pair the skip restriction allows is already connected',
        'fewer rewirings (a smaller n or p), or a wider restriction (spanMin, spanMax, targetLayer)',
      );
    }
    return this.edges.pairs.randomFreePair(rng, this.accepts);
  }

  /** Replaces connection r by a new pair (drawn while r is still connected: SPEC §4). */
  rewire(r: number, rng: Rng): void {
    const [lo, hi] = this.draw(rng);
    if (this.accepts) {
      if (this.accepts(this.edges.src[r], this.edges.dst[r])) this.free++;
      this.free--;
    }
    this.edges.replace(r, lo, hi);
  }

  /** Adds a new pair, removing nothing. */
  add(rng: Rng): void {
    const [lo, hi] = this.draw(rng);
    this.free--;
    this.edges.push(lo, hi);
  }
}
