/**
 * Layer-skipping, add (SPEC §4): start layered with every hidden layer fully connected within
 * itself, then add n uniformly random unconnected allowed pairs; nothing is removed.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';

export function buildAddEdges(layout: Layout, n: number, rng: Rng): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes) + n);
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  for (let t = 0; t < n; t++) {
    const [lo, hi] = edges.pairs.randomFreePair(rng);
    edges.push(lo, hi);
  }
  return edges;
}
