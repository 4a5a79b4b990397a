/** Connection counts by kind (EdgeCounts). */
import type { EdgeCounts, Topology } from './types.js';
import { EDGE_KIND_CODE } from './types.js';

export function countEdges(topology: Pick<Topology, 'edges'>): EdgeCounts {
  const counts: EdgeCounts = { adjacent: 0, intralayer: 0, skip: 0, total: topology.edges.count };
  const { kind, count } = topology.edges;
  for (let e = 0; e < count; e++) {
    const k = kind[e];
    if (k === EDGE_KIND_CODE.adjacent) counts.adjacent++;
    else if (k === EDGE_KIND_CODE.intralayer) counts.intralayer++;
    else counts.skip++;
  }
  return counts;
}
