/**
 * Layer-skipping, replace (the paper's Algorithm 1, SPEC §4): start layered, connect every pair
 * within each hidden layer, then n times pick a uniformly random existing connection and a
 * uniformly random unconnected allowed pair, add the new one and remove the old one. The new
 * pair is drawn while the old one is still connected, so a connection is never "replaced" by
 * itself; once removed, the old pair is a candidate again; new connections can be picked later.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';

export function buildReplaceEdges(layout: Layout, n: number, rng: Rng): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes));
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  for (let t = 0; t < n; t++) {
    const r = rng.int(edges.count);
    const [lo, hi] = edges.pairs.randomFreePair(rng);
    edges.replace(r, lo, hi);
  }
  return edges;
}
