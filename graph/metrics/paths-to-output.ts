/**
 * How far each layer is from the output layer, and by how many routes (SPEC §5: the paper
 * suspected the number of paths to the output is what matters).
 *
 * For every neuron v (all computed by one multi-source breadth-first search from the whole
 * output layer, plus k sparse mat-vecs):
 *   dist(v)           shortest distance from v to the nearest output neuron (−1 if none);
 *   shortest(v)       number of shortest paths from v to an output neuron at distance dist(v)
 *                     (the usual BFS path counting: shortest(o) = 1 for output neurons,
 *                     shortest(v) = Σ shortest(u) over neighbours u with dist(u) = dist(v) − 1);
 *   walks≤k(v)        number of walks of length 1 … k from v that end in the output layer:
 *                     Σ_{j=1..k} (A^j 1_out)(v), A the 0/1 adjacency matrix. Walks may revisit
 *                     neurons; for the layered net and k = K every input neuron has exactly
 *                     Π sizes[1..K] of them (the layered paths).
 * Counts overflow nothing in float64 at this scale (≈ 1000^k) and are reported as log10.
 */
import type { Csr } from './csr.js';

export interface PathsToOutput {
  dist: Int32Array;
  shortest: Float64Array;
  walks: Float64Array;
}

export function pathsToOutput(csr: Csr, outputStart: number, k: number): PathsToOutput {
  const { N, offsets, neighbors } = csr;
  const dist = new Int32Array(N).fill(-1);
  const shortest = new Float64Array(N);
  const queue = new Int32Array(N);
  let head = 0,
    tail = 0;
  for (let o = outputStart; o < N; o++) {
    dist[o] = 0;
    shortest[o] = 1;
    queue[tail++] = o;
  }
  while (head < tail) {
    const u = queue[head++];
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const v = neighbors[e];
      if (dist[v] === -1) {
        dist[v] = dist[u] + 1;
        queue[tail++] = v;
      }
      if (dist[v] === dist[u] + 1) shortest[v] += shortest[u];
    }
  }
  const walks = new Float64Array(N);
  let x = new Float64Array(N);
  let y = new Float64Array(N);
  for (let o = outputStart; o < N; o++) x[o] = 1;
  for (let j = 1; j <= k; j++) {
    for (let v = 0; v < N; v++) {
      let acc = 0;
      for (let e = offsets[v]; e < offsets[v + 1]; e++) acc += x[neighbors[e]];
      y[v] = acc;
      walks[v] += acc;
    }
    const t = x;
    x = y;
    y = t;
  }
  return { dist, shortest, walks };
}
