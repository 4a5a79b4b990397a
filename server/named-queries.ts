/**
 * Named queries offered on the query page: questions researchers ask often, each a topology
 * filter (answered by store.listTopologies, so both stores serve them) with a plain description.
 * Metric names are those graph/metrics computes (L, C, sigma, omega, …).
 */
import type { TopologyFilter } from '../src/store/index.js';

export interface NamedQuery {
  name: string;
  title: string;
  description: string;
  filter: TopologyFilter;
}

/**
 * Stored p is the formula's value at a whole n (SPEC §4), so "p = 5 %" is stored as 0.0499962…
 * or 0.0500013… depending on the net. Bounds on p therefore get a tolerance of P_TOLERANCE
 * (0.05 percentage points: at least half an n step on any net with 1,000 connections or more),
 * so a topology built as p = 5 % is inside "5 to 10 %" whichever way its n rounded.
 */
export const P_TOLERANCE = 0.0005;
const pRange = (min: number, max: number) => ({ min: Math.max(0, min - P_TOLERANCE), max: max + P_TOLERANCE });

export const NAMED_QUERIES: readonly NamedQuery[] = [
  {
    name: 'layered',
    title: 'Layered networks',
    description: 'Plain layered topologies (no intralayer or skip connections): the baselines.',
    filter: { mode: 'layered' },
  },
  {
    name: 'paper-range',
    title: 'p between 5 and 10 %',
    description:
      "Layer-skipping networks around the paper's p = 7.56 % (bounds ± 0.05 percentage points: stored p " +
      'comes from a whole n).',
    filter: { p: pRange(0.05, 0.1) },
  },
  {
    name: 'paper-range-short-paths',
    title: 'p 5–10 % and L < 2.1',
    description: "Around the paper's p (± 0.05 percentage points) with a characteristic path length below 2.1.",
    filter: { p: pRange(0.05, 0.1), metrics: { L: { max: 2.1 } } },
  },
  {
    name: 'barely-rewired',
    title: 'p below 0.1 %',
    description: 'Where the paper saw little change from the layered network (Fig. 5).',
    filter: { p: { min: 1e-12, max: 0.001 } },
  },
  {
    name: 'small-world',
    title: 'Small-world (σ > 1)',
    description: 'Topologies whose small-world coefficient σ exceeds 1.',
    filter: { metrics: { sigma: { min: 1 } } },
  },
  {
    name: 'paper-network',
    title: 'Paper-sized networks',
    description: "The paper's 784-500-500-500-10 architecture, any mode.",
    filter: { sizes: [784, 500, 500, 500, 10] },
  },
];

export function namedQuery(name: string): NamedQuery | undefined {
  return NAMED_QUERIES.find((q) => q.name === name);
}
