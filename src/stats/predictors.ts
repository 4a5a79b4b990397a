/**
 * Which statistic predicts how well a topology trains. Runs are grouped into topology
 * configurations (a family at a budget on an architecture); each seed draws its own graph, so a
 * configuration's metric and outcome are means over its seeds. For every metric and outcome:
 * Spearman and Pearson over configurations, a bootstrap 95 % interval for Spearman (resampling
 * configurations), the partial Spearman controlling for the number of layer-skipping connections
 * (and the architecture when pooled), and the leave-one-family-out R² of outcome ~ metric.
 * Pure: the CLI, the API and the web app call this one function.
 */
import { InputError, ref, text } from '../../lib/index.js';
import { mean, pearson, sampleSd, spearman } from './correlation.js';
import { bootstrapInterval, DEFAULT_BOOTSTRAP } from './bootstrap.js';
import { partialSpearman } from './partial.js';
import { crossValidatedR2 } from './cross-validation.js';

export interface PredictorRun {
  runId: string;
  topologyId: string;
  /** Family key (graph/family.ts), 'layered' for the baseline. */
  family: string;
  sizes: number[];
  /** The configuration's budget: n (rewirings, or the expected count) of its spec. */
  budget: number;
  seed: number;
  /** Graph metrics that are defined, plus the early predictors (early.*). */
  metrics: Record<string, number>;
  outcomes: Record<string, number | null>;
}

export interface Configuration {
  key: string;
  family: string;
  sizes: number[];
  budget: number;
  runs: string[];
  /** The topology of each run (each seed draws its own). */
  topologies: string[];
  seeds: number[];
  /** Metric means over the seeds (a metric undefined for some seed is left out). */
  metrics: Record<string, number>;
  outcomes: Record<string, { mean: number; sd: number | null; n: number }>;
}

export interface PredictorRow {
  metric: string;
  kind: 'graph' | 'dynamics';
  outcome: string;
  n: number;
  spearman: number | null;
  spearmanLow: number | null;
  spearmanHigh: number | null;
  pearson: number | null;
  partialSpearman: number | null;
  cvR2: number | null;
  /** Configurations where the metric or the outcome is undefined. */
  leftOut: string[];
}

export interface PredictorTable {
  runs: number;
  topologies: number;
  configurations: Configuration[];
  /** The covariate of the partial correlations. */
  control: string;
  pooled: boolean;
  rows: PredictorRow[];
}

export interface PredictorOptions {
  outcomes?: readonly string[];
  /** Several architectures are pooled only on request (the architecture then a covariate). */
  pool?: boolean;
  resamples?: number;
  seed?: number;
}

export const OUTCOMES = ['trainError', 'evalError', 'testError'] as const;
/** Bookkeeping keys of the metric set: settings, not properties of the graph. */
const NOT_PREDICTORS = new Set([
  'walkLength',
  'smallWorld.samples',
  'smallWorld.randomNiter',
  'smallWorld.latticeNiter',
]);
export const CONTROL_METRIC = 'edges.skip';

export function configurationKey(run: Pick<PredictorRun, 'family' | 'sizes' | 'budget'>): string {
  const budget = run.family === 'layered' ? '' : ` n=${Number(run.budget.toPrecision(8))}`;
  return `${run.sizes.join('-')} ${run.family}${budget}`;
}

export function groupConfigurations(runs: readonly PredictorRun[], outcomes: readonly string[]): Configuration[] {
  const groups = new Map<string, PredictorRun[]>();
  for (const run of runs) groups.set(configurationKey(run), [...(groups.get(configurationKey(run)) ?? []), run]);
  return [...groups.entries()]
    .map(([key, members]) => {
      const names = new Set(members.flatMap((m) => Object.keys(m.metrics)));
      const metrics: Record<string, number> = {};
      for (const name of names) {
        const values = members.map((m) => m.metrics[name]);
        if (values.every((v) => v !== undefined && Number.isFinite(v))) metrics[name] = mean(values);
      }
      const outcomeStats: Configuration['outcomes'] = {};
      for (const outcome of outcomes) {
        const values = members
          .map((m) => m.outcomes[outcome])
          .filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
        if (values.length > 0) outcomeStats[outcome] = { mean: mean(values), sd: sampleSd(values), n: values.length };
      }
      const first = members[0];
      return {
        key,
        family: first.family,
        sizes: first.sizes,
        budget: first.budget,
        runs: members.map((m) => m.runId),
        topologies: members.map((m) => m.topologyId),
        seeds: members.map((m) => m.seed),
        metrics,
        outcomes: outcomeStats,
      };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function rowFor(
  metric: string,
  outcome: string,
  configs: readonly Configuration[],
  pooled: boolean,
  options: PredictorOptions,
): PredictorRow {
  const used = configs.filter(
    (c) =>
      c.metrics[metric] !== undefined && c.outcomes[outcome] !== undefined && c.metrics[CONTROL_METRIC] !== undefined,
  );
  const leftOut = configs.filter((c) => !used.includes(c)).map((c) => c.key);
  const x = used.map((c) => c.metrics[metric]);
  const y = used.map((c) => c.outcomes[outcome].mean);
  const control = used.map((c) => c.metrics[CONTROL_METRIC]);
  const architectures = used.map((c) => c.sizes.join('-'));
  const rho = spearman(x, y);
  const interval =
    rho === null
      ? { low: null, high: null }
      : bootstrapInterval(
          used.length,
          (idx) =>
            spearman(
              idx.map((i) => x[i]),
              idx.map((i) => y[i]),
            ),
          { resamples: options.resamples ?? DEFAULT_BOOTSTRAP.resamples, seed: options.seed ?? DEFAULT_BOOTSTRAP.seed },
        );
  return {
    metric,
    kind: metric.startsWith('early.') ? 'dynamics' : 'graph',
    outcome,
    n: used.length,
    spearman: rho,
    spearmanLow: interval.low,
    spearmanHigh: interval.high,
    pearson: pearson(x, y),
    partialSpearman: partialSpearman(x, y, { numeric: [control], categorical: pooled ? [architectures] : [] }),
    cvR2: crossValidatedR2(
      x,
      y,
      used.map((c) => c.family),
    ),
    leftOut,
  };
}

/** Sorted by |Spearman| (undefined last), then by metric name. */
function byStrength(a: PredictorRow, b: PredictorRow): number {
  const sa = a.spearman === null ? -1 : Math.abs(a.spearman);
  const sb = b.spearman === null ? -1 : Math.abs(b.spearman);
  return sb - sa || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0) || (a.outcome < b.outcome ? -1 : 1);
}

export function rankPredictors(runs: readonly PredictorRun[], options: PredictorOptions = {}): PredictorTable {
  const outcomes = options.outcomes ?? OUTCOMES;
  const architectures = [...new Set(runs.map((r) => r.sizes.join('-')))];
  if (architectures.length > 1 && !options.pool) {
    throw new InputError(
      'stats',
      'architecture',
      `the runs span ${architectures.length} architectures (${architectures.join(', ')})`,
      text`runs of one architecture, or pooling on request (${ref('pool')}: the architecture becomes a covariate)`,
    );
  }
  const configs = groupConfigurations(runs, outcomes);
  const metrics = [...new Set(configs.flatMap((c) => Object.keys(c.metrics)))]
    .filter((m) => !NOT_PREDICTORS.has(m))
    .sort();
  const rows = metrics.flatMap((metric) =>
    outcomes
      .filter((outcome) => configs.some((c) => c.outcomes[outcome] !== undefined))
      .map((outcome) => rowFor(metric, outcome, configs, architectures.length > 1, options)),
  );
  return {
    runs: runs.length,
    topologies: new Set(runs.map((r) => r.topologyId)).size,
    configurations: configs,
    control: CONTROL_METRIC,
    pooled: architectures.length > 1,
    rows: rows.sort(byStrength),
  };
}
