/**
 * Figures of a predictor ranking (src/stats/predictors.ts): the ranked Spearman coefficients with
 * their bootstrap intervals, and each family's outcome against its number of layer-skipping
 * connections (seed means ± sd), the view that shows what a metric must explain beyond the budget.
 */
import type { Configuration, PredictorRow } from '../stats/index.js';
import type { VegaLiteSpec } from './specs.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const OUTCOME_TITLES: Record<string, string> = {
  trainError: 'training error',
  evalError: 'held-out error',
  testError: 'test error',
};

/** The strongest `top` metrics for one outcome: Spearman ρ (point) and its 95 % interval (bar). */
export function predictorRankingSpec(rows: readonly PredictorRow[], outcome: string, top = 25): VegaLiteSpec {
  const values = rows
    .filter((r) => r.outcome === outcome && r.spearman !== null)
    .slice(0, top)
    .map((r) => ({
      metric: r.metric,
      kind: r.kind,
      rho: r.spearman,
      low: r.spearmanLow ?? r.spearman,
      high: r.spearmanHigh ?? r.spearman,
      partial: r.partialSpearman,
    }));
  const y = { field: 'metric', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } };
  return {
    $schema: SCHEMA,
    title: `Spearman ρ with ${OUTCOME_TITLES[outcome] ?? outcome} over configurations (bar: bootstrap 95 % interval)`,
    width: 420,
    height: { step: 16 },
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', scale: { domain: [-1, 1] }, title: 'Spearman ρ' },
          x2: { field: 'high' },
          color: { field: 'kind', type: 'nominal' },
        },
      },
      {
        mark: { type: 'point', filled: true },
        encoding: {
          y,
          x: { field: 'rho', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', title: 'statistic' },
          tooltip: [
            { field: 'metric' },
            { field: 'rho', format: '.2f' },
            { field: 'low', format: '.2f' },
            { field: 'high', format: '.2f' },
            { field: 'partial', format: '.2f', title: 'partial ρ' },
          ],
        },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
    ] as never,
  } as VegaLiteSpec;
}

/** Each configuration's outcome (seed mean ± sd) against its layer-skipping connections, by family. */
export function outcomeByFamilySpec(
  configs: readonly Configuration[],
  outcome: string,
  metric = 'edges.skip',
): VegaLiteSpec {
  const values = configs
    .filter((c) => c.outcomes[outcome] !== undefined && c.metrics[metric] !== undefined)
    .map((c) => {
      const o = c.outcomes[outcome];
      return {
        family: c.family,
        x: c.metrics[metric],
        y: o.mean,
        low: o.mean - (o.sd ?? 0),
        high: o.mean + (o.sd ?? 0),
        seeds: o.n,
        key: c.key,
      };
    });
  const x = { field: 'x', type: 'quantitative', title: metric };
  const color = { field: 'family', type: 'nominal', title: 'family', legend: { labelLimit: 300 } };
  return {
    $schema: SCHEMA,
    title: `${OUTCOME_TITLES[outcome] ?? outcome} by family (seed mean ± sd) against ${metric}`,
    width: 480,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color },
      },
      {
        mark: { type: 'line', point: { filled: true, size: 60 } },
        encoding: {
          x,
          y: {
            field: 'y',
            type: 'quantitative',
            title: `${OUTCOME_TITLES[outcome] ?? outcome}`,
            axis: { format: '.0%' },
            scale: { zero: false },
          },
          color,
          tooltip: [
            { field: 'key', title: 'configuration' },
            { field: 'y', format: '.2%', title: 'mean' },
            { field: 'seeds' },
          ],
        },
      },
    ] as never,
  } as VegaLiteSpec;
}
