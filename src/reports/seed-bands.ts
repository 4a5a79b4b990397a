/**
 * Runs that differ only in their seed are one configuration: their rate curves are drawn as the
 * mean across seeds with a band from the lowest to the highest seed (Fig. 4 with seeds), and their
 * outcomes summarised as mean, sd and range. With three seeds a range says more than an sd, and it
 * stays positive on the log axes the rates need.
 */
import type { RatePoint } from '../store/contract.js';
import { smoothedRateSeries } from './series.js';
import type { RateBandSpecPoint } from './specs.js';

export { seedStatistic, type SeedStatistic } from '../stats/seed-statistic.js';

/** The grouping key of a run: its topology spec and configuration with every seed left out. */
export function seedlessKey(spec: object, config: { train: object }): string {
  const { seed: _specSeed, ...shape } = spec as { seed?: unknown };
  const { seed: _trainSeed, ...train } = config.train as { seed?: unknown };
  const { topology: _topology, ...rest } = config as { topology?: unknown };
  return JSON.stringify({ shape, config: { ...rest, train } });
}

/**
 * eq. 3-smoothed rate of each pair across seeds: per recorded batch, the mean, lowest and highest
 * of the seeds that recorded it. Every seed's series is smoothed on its own first.
 */
export function rateBandSeries(label: string, seedRates: readonly (readonly RatePoint[])[], smooth: number) {
  const at = new Map<string, { pair: number; batch: number; values: number[] }>();
  for (const rates of seedRates) {
    for (const p of smoothedRateSeries(label, rates, smooth)) {
      const key = `${p.pair}:${p.batch}`;
      const entry = at.get(key) ?? { pair: p.pair, batch: p.batch, values: [] };
      entry.values.push(p.smoothed);
      at.set(key, entry);
    }
  }
  const points: RateBandSpecPoint[] = [];
  for (const { pair, batch, values } of at.values()) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    points.push({
      label,
      pair,
      batch,
      mean,
      low: Math.min(...values),
      high: Math.max(...values),
      seeds: values.length,
    });
  }
  return points.sort((a, b) => a.pair - b.pair || a.batch - b.batch);
}
