/** What a configuration's seeds say about one outcome: mean, sample sd and range. */
import { mean, sampleSd } from './correlation.js';

export interface SeedStatistic {
  mean: number | null;
  /** Sample sd (n − 1); null for one value. */
  sd: number | null;
  min: number | null;
  max: number | null;
}

/** The statistic of the finite values (missing ones — null, undefined, NaN — are left out). */
export function seedStatistic(values: readonly (number | null | undefined)[]): SeedStatistic {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return { mean: null, sd: null, min: null, max: null };
  return { mean: mean(xs), sd: sampleSd(xs), min: Math.min(...xs), max: Math.max(...xs) };
}
