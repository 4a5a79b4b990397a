/**
 * The statistics the reports print: Pearson and Spearman correlation coefficients (graph metric
 * against training outcome) and the paper's eq. 3 smoothing of the per-layer rate series.
 * Pure functions without Node imports: the web UI imports this module too.
 */

import { averageRanks, pearsonRaw } from '../stats/correlation.js';

// One implementation of the coefficients (src/stats/): the reports, the API and the web agree.
export { averageRanks, mean } from '../stats/correlation.js';

/** Pearson's r of paired samples; null when it is undefined (fewer than 2 pairs or a constant series). */
export const pearson = pearsonRaw;

/** Spearman's rho: Pearson's r of the ranks, ties given their average rank (as scipy.stats.spearmanr does). */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return pearsonRaw(averageRanks(x), averageRanks(y));
}

export interface Correlation {
  n: number;
  pearson: number | null;
  spearman: number | null;
}

/** Fewest runs for a coefficient worth printing: with 2 points r is always ±1. */
export const MIN_CORRELATION_RUNS = 3;

/** One line for titles and tables: the coefficients, or why there are none. */
export function describeCorrelation(c: Correlation): string {
  if (c.n < MIN_CORRELATION_RUNS) return `n = ${c.n}: a correlation needs at least ${MIN_CORRELATION_RUNS} runs`;
  const fmt = (v: number | null) => (v === null ? 'undefined (a constant series)' : v.toFixed(3));
  return `n = ${c.n}, Pearson r = ${fmt(c.pearson)}, Spearman ρ = ${fmt(c.spearman)}`;
}

/** Both coefficients over the pairs where both values are finite numbers. */
export function correlate(x: readonly (number | null)[], y: readonly (number | null)[]): Correlation {
  checkPaired(x, y);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { n: xs.length, pearson: pearson(xs, ys), spearman: spearman(xs, ys) };
}

/**
 * The paper's eq. 3 (a centred moving average over 2n+1 batches, cut at the ends): one
 * implementation, the engine's, so reports and the engine's tests smooth identically.
 */
export { smoothRates } from '../../engine/index.js';

function checkPaired(x: readonly unknown[], y: readonly unknown[]): void {
  if (x.length !== y.length) {
    throw new RangeError(
      `eqprop/reports: paired samples of lengths ${x.length} and ${y.length}; expected equal lengths`,
    );
  }
}
