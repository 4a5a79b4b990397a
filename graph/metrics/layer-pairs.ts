/**
 * Connections per layer pair: count[a][b] (a ≤ b) for every pair of layers, so adjacent,
 * intralayer and skip connections of each pair can be reported separately.
 */
import type { Topology } from '../types.js';
import { makeLayout } from '../layout.js';

export function connectionsPerLayerPair(topology: Pick<Topology, 'sizes' | 'edges'>): number[][] {
  const layout = makeLayout(topology.sizes);
  const L = topology.sizes.length;
  const count = Array.from({ length: L }, () => new Array<number>(L).fill(0));
  const { src, dst } = topology.edges;
  for (let e = 0; e < topology.edges.count; e++) {
    const a = layout.layerOf[src[e]],
      b = layout.layerOf[dst[e]];
    count[Math.min(a, b)][Math.max(a, b)]++;
  }
  return count;
}
