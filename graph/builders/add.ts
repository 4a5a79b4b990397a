/**
 * Layer-skipping, add (SPEC §4): start layered with every hidden layer fully connected within
 * itself, then add n uniformly random unconnected allowed pairs (narrowed by a skip rule when
 * given); nothing is removed.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import type { SkipRule } from '../skip-rule.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';
import { NewPairSource } from './new-pairs.js';

export function buildAddEdges(layout: Layout, n: number, rng: Rng, rule: SkipRule | null = null): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes) + n);
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  const source = new NewPairSource(edges, layout, rule);
  for (let t = 0; t < n; t++) source.add(rng);
  return edges;
}
