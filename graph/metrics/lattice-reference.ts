/**
 * An equivalent lattice: the same degree sequence, edges swapped only when that brings them
 * closer to the diagonal of the adjacency matrix (neurons on a ring in global-index order,
 * distance min(|i − j|, N − |i − j|)) — networkx lattice_reference(G, niter, connectivity=True)
 * with the default distance matrix, which is exactly this ring distance.
 */
import type { Rng } from '../rng.js';
import type { Csr } from './csr.js';
import { SwapGraph, runSwaps } from './swap-graph.js';

export function latticeReference(csr: Csr, niter: number, rng: Rng): Csr {
  const N = csr.N;
  const ring = (i: number, j: number) => {
    const d = Math.abs(i - j);
    return Math.min(d, N - d);
  };
  const g = new SwapGraph(csr);
  if (N >= 4 && csr.edges >= 2) {
    runSwaps(g, niter, rng, true, (a, b, c, d) => ring(a, b) + ring(c, d) >= ring(a, c) + ring(b, d));
  }
  return g.toCsr();
}
