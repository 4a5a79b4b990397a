/**
 * Layer-skipping, replace (the paper's Algorithm 1, SPEC §4): start layered, connect every pair
 * within each hidden layer, then n times pick a uniformly random existing connection and a
 * uniformly random unconnected allowed pair, add the new one and remove the old one. The new
 * pair is drawn while the old one is still connected, so a connection is never "replaced" by
 * itself; once removed, the old pair is a candidate again; new connections can be picked later.
 * A skip rule (graph/skip-rule.ts) narrows the new pairs; without one the draws are the paper's.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import type { SkipRule } from '../skip-rule.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';
import { NewPairSource } from './new-pairs.js';

export function buildReplaceEdges(layout: Layout, n: number, rng: Rng, rule: SkipRule | null = null): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes));
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  const source = new NewPairSource(edges, layout, rule);
  for (let t = 0; t < n; t++) source.rewire(rng.int(edges.count), rng);
  return edges;
}
