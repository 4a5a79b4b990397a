/**
 * The Watts–Strogatz-style pass shared by per-connection and no-intralayer builds: visit each
 * connection present at the start once, in construction order, and with probability p replace it
 * by a new pair from the source. Slot r holds original connection r until it is replaced, so
 * visiting slots in order visits each original exactly once.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import type { SkipRule } from '../skip-rule.js';
import type { WorkingEdges } from './working-edges.js';
import { NewPairSource } from './new-pairs.js';

export function rewireEachWithProbability(
  edges: WorkingEdges,
  layout: Layout,
  p: number,
  rng: Rng,
  rule: SkipRule | null,
): void {
  if (p === 0) return;
  const source = new NewPairSource(edges, layout, rule);
  const originals = edges.count;
  for (let r = 0; r < originals; r++) {
    if (!rng.bernoulli(p)) continue;
    source.rewire(r, rng);
  }
}
