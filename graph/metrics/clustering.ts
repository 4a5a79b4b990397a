/**
 * Clustering: the triangles through each neuron by bitset intersection — for every edge
 * (u, v), |N(u) ∩ N(v)| = AND of two adjacency rows + popcount — then
 *   average clustering C = mean over all neurons of 2 t_v / (d_v (d_v − 1)), 0 when d_v < 2
 *     (networkx average_clustering, zeros counted);
 *   transitivity = Σ t_v / Σ d_v (d_v − 1)/2 = 3 · triangles / connected triples
 *     (networkx transitivity; σ uses it, as networkx sigma does).
 */
import { adjacencyBits, popcount32, type AdjacencyBits, type Csr } from './csr.js';

export interface ClusteringResult {
  averageClustering: number;
  transitivity: number;
  triangles: number;
}

/** Triangles through each neuron. */
export function trianglesPerNode(csr: Csr, adj: AdjacencyBits = adjacencyBits(csr)): Float64Array {
  const { N, offsets, neighbors } = csr;
  const { words, bits } = adj;
  const twice = new Float64Array(N);
  for (let u = 0; u < N; u++) {
    const ru = u * words;
    for (let k = offsets[u]; k < offsets[u + 1]; k++) {
      const v = neighbors[k];
      if (v <= u) continue;
      const rv = v * words;
      let common = 0;
      for (let w = 0; w < words; w++) {
        const x = bits[ru + w] & bits[rv + w];
        if (x !== 0) common += popcount32(x);
      }
      // each common neighbour closes one triangle through u and one through v
      twice[u] += common;
      twice[v] += common;
    }
  }
  // every triangle through u was seen from both of its edges at u
  for (let u = 0; u < N; u++) twice[u] /= 2;
  return twice;
}

export function clustering(csr: Csr, adj?: AdjacencyBits): ClusteringResult {
  const t = trianglesPerNode(csr, adj);
  let sumC = 0,
    sumT = 0,
    sumTriples = 0;
  for (let v = 0; v < csr.N; v++) {
    const d = csr.offsets[v + 1] - csr.offsets[v];
    sumT += t[v];
    if (d < 2) continue;
    const triples = (d * (d - 1)) / 2;
    sumTriples += triples;
    sumC += t[v] / triples;
  }
  return {
    averageClustering: csr.N === 0 ? 0 : sumC / csr.N,
    transitivity: sumT === 0 ? 0 : sumT / sumTriples,
    triangles: sumT / 3,
  };
}
