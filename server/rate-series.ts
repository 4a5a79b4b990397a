/**
 * Downsampling of the per-layer rate series for the browser. A paper run stores one point per
 * batch and layer pair (2,500 batches × 250 epochs × 4 pairs); the plot needs a few thousand.
 * Consecutive batches are averaged in equal-width bins per pair (a box filter, so the eq. 3
 * smoothing the user applies on top stays a moving average of moving averages).
 */
import type { RatePoint } from '../src/store/index.js';

export interface BinnedRates {
  /** Batches per bin (1 = raw series). */
  binWidth: number;
  points: RatePoint[];
}

export function downsampleRates(points: readonly RatePoint[], maxPointsPerPair: number): BinnedRates {
  if (points.length === 0) return { binWidth: 1, points: [] };
  // Bins span the batches present (a [from, to) slice of a long run keeps its full resolution).
  let minBatch = Infinity;
  let maxBatch = -Infinity;
  for (const p of points) {
    if (p.batch < minBatch) minBatch = p.batch;
    if (p.batch > maxBatch) maxBatch = p.batch;
  }
  const binWidth = Math.max(1, Math.ceil((maxBatch - minBatch + 1) / maxPointsPerPair));
  if (binWidth === 1) return { binWidth, points: [...points].sort((a, b) => a.pair - b.pair || a.batch - b.batch) };
  const sums = new Map<string, { pair: number; bin: number; rate: number; batch: number; n: number }>();
  for (const p of points) {
    const bin = Math.floor((p.batch - minBatch) / binWidth);
    const key = `${p.pair}:${bin}`;
    const acc = sums.get(key) ?? { pair: p.pair, bin, rate: 0, batch: 0, n: 0 };
    acc.rate += p.rate;
    acc.batch += p.batch;
    acc.n++;
    sums.set(key, acc);
  }
  const out = [...sums.values()]
    .sort((a, b) => a.pair - b.pair || a.bin - b.bin)
    .map((a) => ({ pair: a.pair, batch: a.batch / a.n, rate: a.rate / a.n }));
  return { binWidth, points: out };
}
