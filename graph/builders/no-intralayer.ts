/**
 * Layer-skipping without intralayer connections (the journal version of the paper: Gammell,
 * Buckley, Nam, McCaughan 2021): start layered, with no connection inside any layer; visit each
 * adjacent-layer connection once, in construction order, and with probability p rewire it to a
 * uniformly random unconnected pair of neurons in non-adjacent layers (span ≥ 2, narrowed further
 * by a skip rule when given). Its layer-skipping weights start in U[−a, a] (graph/build.ts).
 */
import type { Rng } from '../rng.js';
import type { Layout } from '../layout.js';
import { adjacentCount } from '../layout.js';
import type { SkipRule } from '../skip-rule.js';
import { WorkingEdges, pushAdjacent } from './working-edges.js';
import { rewireEachWithProbability } from './rewire-each.js';

export function buildNoIntralayerEdges(layout: Layout, p: number, rng: Rng, rule: SkipRule): WorkingEdges {
  const edges = new WorkingEdges(layout, adjacentCount(layout.sizes));
  pushAdjacent(edges, layout);
  rewireEachWithProbability(edges, layout, p, rng, rule);
  return edges;
}
