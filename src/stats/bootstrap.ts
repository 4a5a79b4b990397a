/**
 * Percentile bootstrap intervals: resample the units (topology configurations) with replacement,
 * recompute the statistic, and take the 2.5th and 97.5th percentiles of the values that are
 * defined. Seeded (graph/rng.ts), so the same data and seed give the same interval everywhere.
 */
import { Rng } from '../../graph/index.js';

export interface Interval {
  low: number | null;
  high: number | null;
}

export const DEFAULT_BOOTSTRAP = { resamples: 1000, seed: 1, level: 0.95 } as const;

/** Linear-interpolated quantile of sorted values (numpy's default "linear" method). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The interval of `statistic(indices)` over bootstrap resamples of 0…n−1; null bounds when fewer
 * than half of the resamples give a defined value (the statistic is then not estimable here).
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: readonly number[]) => number | null,
  options: { resamples?: number; seed?: number; level?: number } = {},
): Interval {
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  if (n < 3) return { low: null, high: null };
  const rng = new Rng(seed);
  const values: number[] = [];
  const indices = new Array<number>(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    const v = statistic(indices);
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  if (values.length < resamples / 2) return { low: null, high: null };
  values.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { low: quantileSorted(values, tail), high: quantileSorted(values, 1 - tail) };
}
