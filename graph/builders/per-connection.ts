/**
 * Per-connection probability variant (the paper's appendix algorithm, Watts–Strogatz style,
 * SPEC §4): start as in replace mode; visit each of the N_o original connections once, in
 * construction order, and with probability p replace it by a uniformly random unconnected
 * allowed pair (drawn while the original is still connected; narrowed by a skip rule when given).
 * Connections created here are not visited again; a removed original becomes a candidate for
 * later replacements.
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { connectionsWithIntralayer } from '../layout.js';
import type { SkipRule } from '../skip-rule.js';
import { WorkingEdges, pushAdjacent, pushIntralayer } from './working-edges.js';
import { rewireEachWithProbability } from './rewire-each.js';

export function buildPerConnectionEdges(
  layout: Layout,
  p: number,
  rng: Rng,
  rule: SkipRule | null = null,
): WorkingEdges {
  const edges = new WorkingEdges(layout, connectionsWithIntralayer(layout.sizes));
  pushAdjacent(edges, layout);
  pushIntralayer(edges, layout);
  rewireEachWithProbability(edges, layout, p, rng, rule);
  return edges;
}
