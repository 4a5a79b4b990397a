/**
 * SPEC §5 eq. 3: the per-layer training rate smoothed with a centred moving average over 2n + 1
 * batches. Near the ends of the series the window is cut to the points that exist (so the output
 * has the input's length and no invented values); n = 0 returns a copy.
 */
import { InputError } from '../lib/index.js';

export function smoothRates(series: readonly number[], n: number): number[] {
  if (!Number.isInteger(n) || n < 0)
    throw new InputError('engine', 'n', `${n}`, 'an integer ≥ 0 (half-width of the window)');
  const prefix = new Float64Array(series.length + 1);
  for (let i = 0; i < series.length; i++) prefix[i + 1] = prefix[i] + series[i];
  return series.map((_, i) => {
    const lo = Math.max(0, i - n),
      hi = Math.min(series.length - 1, i + n);
    return (prefix[hi + 1] - prefix[lo]) / (hi - lo + 1);
  });
}

/** One point of the per-layer training rate series (SPEC §5 eq. 2), as the trainer reports it. */
export interface RatePoint {
  /** Global batch index since the start of the run (0-based). */
  batch: number;
  /** Adjacent layer pair l (layers l and l+1). */
  pair: number;
  rate: number;
}
