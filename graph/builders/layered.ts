/** The paper's plain layered net: every pair in adjacent layers, nothing else (SPEC §4). */
import type { Layout } from '../layout.js';
import { adjacentCount } from '../layout.js';
import { WorkingEdges, pushAdjacent } from './working-edges.js';

export function buildLayeredEdges(layout: Layout): WorkingEdges {
  const edges = new WorkingEdges(layout, adjacentCount(layout.sizes));
  pushAdjacent(edges, layout);
  return edges;
}
