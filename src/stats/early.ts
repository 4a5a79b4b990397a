/**
 * Early predictors from the training dynamics (the journal version's statistic): over the first K
 * batches, each adjacent pair's mean eq. 2 rate; their log-spread (population standard deviation
 * of log10 of the per-pair means) and the deepest pair's mean over the output pair's. A layered
 * net with a vanishing gradient has a large spread and a tiny ratio; an equalised one, neither.
 */
export interface RateSample {
  batch: number;
  pair: number;
  rate: number;
}

export const DEFAULT_EARLY_BATCHES = 50;
export const EARLY_METRICS = ['early.logSpread', 'early.deepestOverOutput'] as const;

/** The two statistics over batches 0…K−1; a key is left out when it is undefined (no rates, a zero rate). */
export function earlyPredictors(rates: readonly RateSample[], batches = DEFAULT_EARLY_BATCHES): Record<string, number> {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const r of rates) {
    if (r.batch >= batches || !Number.isFinite(r.rate)) continue;
    const s = sums.get(r.pair) ?? { sum: 0, count: 0 };
    s.sum += r.rate;
    s.count++;
    sums.set(r.pair, s);
  }
  const pairs = [...sums.keys()].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  if (pairs.length < 2) return out;
  const means = pairs.map((p) => sums.get(p)!.sum / sums.get(p)!.count);
  if (means.every((m) => m > 0)) {
    const logs = means.map(Math.log10);
    const mu = logs.reduce((a, b) => a + b, 0) / logs.length;
    out['early.logSpread'] = Math.sqrt(logs.reduce((a, v) => a + (v - mu) ** 2, 0) / logs.length);
  }
  const output = means[means.length - 1];
  if (output > 0) out['early.deepestOverOutput'] = means[0] / output;
  return out;
}
