/**
 * Turns stored results into the rows the figure specs take: error curves from epochs, the eq. 3
 * smoothed rate series (thinned for drawing), and each pair's rate at the end of an epoch.
 * Pure functions (no store, no Node), so the web UI can use them on API data too.
 */
import type { EpochResult, RatePoint } from '../store/contract.js';
import { smoothRates } from './statistics.js';
import type { BlockErrorPoint, ErrorPoint, RateSeriesPoint } from './specs.js';

/** eq. 3 half-width n used when none is given (the paper does not state its n): 21-batch window. */
export const DEFAULT_SMOOTH = 10;

export function errorPoints(label: string, epochs: readonly EpochResult[]): ErrorPoint[] {
  const points: ErrorPoint[] = [];
  for (const e of [...epochs].sort((a, b) => a.epoch - b.epoch)) {
    points.push({ label, epoch: e.epoch, split: 'train', error: e.trainError });
    points.push({ label, epoch: e.epoch, split: 'eval', error: e.evalError });
    if (e.testError !== null && e.testError !== undefined)
      points.push({ label, epoch: e.epoch, split: 'test', error: e.testError });
  }
  return points;
}

/** The rate series of each pair, sorted by batch. */
export function ratesByPair(rates: readonly RatePoint[]): Map<number, RatePoint[]> {
  const byPair = new Map<number, RatePoint[]>();
  for (const r of rates) {
    const list = byPair.get(r.pair) ?? [];
    list.push(r);
    byPair.set(r.pair, list);
  }
  for (const list of byPair.values()) list.sort((a, b) => a.batch - b.batch);
  return new Map([...byPair.entries()].sort((a, b) => a[0] - b[0]));
}

/**
 * eq. 3 smoothing with half-width `smooth`, then every k-th point so that each pair has at most
 * `maxPoints` points to draw (smoothing first, so thinning never changes the smoothed values).
 */
export function smoothedRateSeries(
  label: string,
  rates: readonly RatePoint[],
  smooth: number,
  maxPoints = 1500,
): RateSeriesPoint[] {
  const out: RateSeriesPoint[] = [];
  for (const [pair, list] of ratesByPair(rates)) {
    const smoothed = smoothRates(
      list.map((r) => r.rate),
      smooth,
    );
    const stride = Math.max(1, Math.ceil(list.length / maxPoints));
    for (let i = 0; i < list.length; i += stride)
      out.push({ label, pair, batch: list[i].batch, rate: list[i].rate, smoothed: smoothed[i] });
  }
  return out;
}

/**
 * Each pair's training rate at the end of epoch k (1-based): the eq. 3 smoothed value at the
 * epoch's last recorded batch, i.e. the mean over its last smooth+1 recorded batches (the
 * window cannot look past the end of the epoch). Fig. 5 (bottom) plots this against p.
 */
export function rateAtEpochEnd(
  rates: readonly RatePoint[],
  epoch: number,
  batchesPerEpoch: number,
  smooth: number,
): Map<number, number> {
  const lo = (epoch - 1) * batchesPerEpoch;
  const hi = epoch * batchesPerEpoch;
  const result = new Map<number, number>();
  for (const [pair, list] of ratesByPair(rates.filter((r) => r.batch >= lo && r.batch < hi))) {
    if (list.length === 0) continue;
    const smoothed = smoothRates(
      list.map((r) => r.rate),
      smooth,
    );
    result.set(pair, smoothed[smoothed.length - 1]);
  }
  return result;
}

/** Batches whose eq. 2 rates are averaged for a run's rate summary (the run's last ones). */
export const SUMMARY_BATCHES = 50;

export interface RateSummary {
  /** Each pair's eq. 2 rate averaged over the run's last SUMMARY_BATCHES recorded batches (pair 0 = input–h1). */
  meanRates: number[];
  /** Deepest pair's rate over the output pair's (the paper's Fig. 4: ≈ 1 % for the layered one-rate net). */
  deepestOverOutput: number | null;
  /**
   * Largest over smallest mean rate among all pairs but the output pair (the three deepest pairs of
   * the paper's network): 1 = equalised, as the paper finds for the layer-skipping net.
   */
  deepSpread: number | null;
}

export function rateSummary(rates: readonly RatePoint[], lastBatches = SUMMARY_BATCHES): RateSummary {
  const byPair = ratesByPair(rates);
  const pairs = byPair.size === 0 ? 0 : Math.max(...byPair.keys()) + 1;
  // By batch index, not by count: with --rate-every k the last 50 batches hold 50/k recorded points.
  const lastBatch = rates.reduce((m, r) => Math.max(m, r.batch), -Infinity);
  const meanRates = Array.from({ length: pairs }, (_, pair) => {
    const tail = (byPair.get(pair) ?? []).filter((r) => r.batch > lastBatch - lastBatches);
    return tail.length === 0 ? NaN : tail.reduce((s, r) => s + r.rate, 0) / tail.length;
  });
  const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null);
  const deep = meanRates.slice(0, -1);
  return {
    meanRates,
    deepestOverOutput: pairs >= 2 ? ratio(meanRates[0], meanRates[pairs - 1]) : null,
    deepSpread: deep.length >= 2 ? ratio(Math.max(...deep), Math.min(...deep)) : null,
  };
}

/** The blocks of an epoch's running training error as points at the batch where each block ended. */
export function blockErrorPoints(
  label: string,
  epoch: EpochResult,
  blockBatches: number,
  batchesPerEpoch: number,
): BlockErrorPoint[] {
  return (epoch.blockErrors ?? []).map((error, k) => ({
    label,
    batches: Math.min((k + 1) * blockBatches, batchesPerEpoch),
    error,
  }));
}
