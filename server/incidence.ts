/**
 * Per-neuron incidence lists (CSR): the edge indices touching each neuron, so a neuron's view
 * costs O(its degree) instead of a scan of all 1.27 M connections of the paper network.
 */
import type { EdgeList } from '../graph/index.js';

export interface Incidence {
  /** Edges of neuron i are edges[start[i] … start[i+1]). */
  start: Int32Array;
  edges: Int32Array;
}

export function buildIncidence(N: number, list: Pick<EdgeList, 'count' | 'src' | 'dst'>): Incidence {
  const start = new Int32Array(N + 1);
  for (let e = 0; e < list.count; e++) {
    start[list.src[e]! + 1]!++;
    start[list.dst[e]! + 1]!++;
  }
  for (let i = 0; i < N; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, N);
  const edges = new Int32Array(2 * list.count);
  for (let e = 0; e < list.count; e++) {
    edges[fill[list.src[e]!]!++] = e;
    edges[fill[list.dst[e]!]!++] = e;
  }
  return { start, edges };
}
