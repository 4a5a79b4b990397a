/**
 * An equivalent random graph: the same degree sequence, edges scrambled by niter · E rounds
 * of double-edge swaps keeping the graph connected — networkx random_reference(G, niter,
 * connectivity=True), with our seeded Rng in place of Python's random.
 */
import type { Rng } from '../rng.js';
import type { Csr } from './csr.js';
import { SwapGraph, runSwaps } from './swap-graph.js';

export function randomReference(csr: Csr, niter: number, rng: Rng): Csr {
  const g = new SwapGraph(csr);
  if (csr.N >= 4 && csr.edges >= 2) runSwaps(g, niter, rng, true);
  return g.toCsr();
}
