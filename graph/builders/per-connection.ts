/**
 * Per-connection probability variant (the paper's appendix algorithm, Watts–Strogatz style,
 * SPEC §4): start as in replace mode; visit each of the N_o original connections once, in
 * construction order, and with probability p replace it by a uniformly random unconnected
 * allowed pair (drawn while the original is still connected). Connections created here are not
 * visited again; a removed original becomes a candidate for later replacements.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';

export function buildPerConnectionEdges(layout: Layout, p: number, rng: Rng): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes));
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  if (p === 0) return edges;
  // Slot r holds original connection r until it is replaced, so visiting slots in order visits
  // each original exactly once.
  for (let r = 0; r < edges.count; r++) {
    if (!rng.bernoulli(p)) continue;
    const [lo, hi] = edges.pairs.randomFreePair(rng);
    edges.replace(r, lo, hi);
  }
  return edges;
}
