/**
 * Small-world coefficients against reference graphs (SPEC §5), as networkx computes them:
 *   σ = (C / C_rand) / (L / L_rand), C and C_rand the transitivity (networkx sigma uses
 *       transitivity, not average clustering), L_rand and C_rand means over the random references;
 *   ω = L_rand / L − C / C_latt, C the average clustering and C_latt the largest average
 *       clustering among the lattice references and the graph itself.
 * One difference from networkx, for speed: σ and ω share the same `samples` random references
 * (networkx draws separate ones, with niter 100 for σ and 2 · 5 for ω); both are estimates of
 * the same expectation. Seeded: the same seed gives the same σ and ω.
 */
import { Rng } from '../rng.js';
import type { Csr } from './csr.js';
import { characteristicPathLength } from './path-length.js';
import { clustering } from './clustering.js';
import { randomReference } from './random-reference.js';
import { latticeReference } from './lattice-reference.js';

export interface SmallWorldOptions {
  /** Reference graphs of each kind (networkx nrand). */
  samples: number;
  /** Swap rounds per edge for each random reference (networkx niter of random_reference). */
  randomNiter: number;
  /** Swap rounds per edge for each lattice reference. */
  latticeNiter: number;
  seed: number;
}

export interface SmallWorldResult {
  sigma: number;
  omega: number;
  /** Mean L of the random references. */
  Lrand: number;
  /** Mean transitivity of the random references. */
  Crand: number;
  /** Largest average clustering of the lattice references and the graph. */
  Clattice: number;
  /** Per-reference values (for tests and tolerance estimates). */
  LrandSamples: number[];
  CrandSamples: number[];
  ClatticeSamples: number[];
}

export function smallWorld(
  csr: Csr,
  base: { L: number; averageClustering: number; transitivity: number },
  options: SmallWorldOptions,
): SmallWorldResult {
  const rng = new Rng(options.seed);
  const LrandSamples: number[] = [],
    CrandSamples: number[] = [],
    ClatticeSamples: number[] = [];
  let Clattice = base.averageClustering;
  for (let s = 0; s < options.samples; s++) {
    const r = randomReference(csr, options.randomNiter, rng);
    LrandSamples.push(characteristicPathLength(r).L);
    CrandSamples.push(clustering(r).transitivity);
    const l = latticeReference(csr, options.latticeNiter, rng);
    const cl = clustering(l).averageClustering;
    ClatticeSamples.push(cl);
    if (cl > Clattice) Clattice = cl;
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const Lrand = mean(LrandSamples),
    Crand = mean(CrandSamples);
  return {
    sigma: base.transitivity / Crand / (base.L / Lrand),
    omega: Lrand / base.L - base.averageClustering / Clattice,
    Lrand,
    Crand,
    Clattice,
    LrandSamples,
    CrandSamples,
    ClatticeSamples,
  };
}
