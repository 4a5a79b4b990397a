/**
 * Reports: gather a run's or a sweep's results from the store, turn them into figure specs and
 * tables, and write SVG + PNG + the Vega-Lite spec of every figure, CSV + JSON of the data.
 *
 * Figures: error curves (Fig. 3), per-layer rates with eq. 3 smoothing (Fig. 4); for p sweeps
 * also error after epoch k against p and each pair's rate at the end of epoch k against p
 * (Fig. 5), and every graph metric against the outcome with Pearson and Spearman coefficients.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorrelationRow, EpochResult, RatePoint, RunRecord, Store, TopologyRecord } from '../store/contract.js';
import { runConfigOf, type RunConfig } from '../experiments/plan/run-config.js';
import type { SweepDefinition } from '../experiments/plan/sweep-plan.js';
import { toCsv } from './csv.js';
import { runLabel } from './labels.js';
import { renderSvg, svgToPng } from './render.js';
import { ERROR_BLOCK_BATCHES } from '../../engine/index.js';
import {
  blockErrorPoints,
  DEFAULT_SMOOTH,
  errorPoints,
  rateAtEpochEnd,
  rateSummary,
  smoothedRateSeries,
  SUMMARY_BATCHES,
} from './series.js';
import {
  blockErrorSpec,
  errorCurvesSpec,
  errorVsPSpec,
  metricScatterSpec,
  rateBandSpec,
  rateSeriesSpec,
  rateVsPSpec,
  type ErrorPoint,
  type ErrorVsPPoint,
  type RateSeriesPoint,
  type RateSwitch,
  type RateVsPPoint,
  type VegaLiteSpec,
} from './specs.js';
import { correlate } from './statistics.js';
import { rateBandSeries, seedlessKey, seedStatistic } from './seed-bands.js';
import { rankPredictors, type Configuration, type PredictorRun, type PredictorTable } from '../stats/index.js';
import { predictorRunOf } from '../experiments/summarise/predictor-runs.js';
import { outcomeByFamilySpec, predictorRankingSpec } from './predictor-specs.js';
import { epochNote, removalBatch, removalEpoch } from '../experiments/plan/beyond-paper.js';
import { datasetOfStored, errorKindOf } from '../experiments/summarise/error-kind.js';

export interface ReportOptions {
  /** eq. 3 half-width n (window 2n+1 batches). */
  smooth?: number;
  /** Epoch k for "error after epoch k" (default: 1, the paper's Fig. 5). */
  epoch?: number;
  /** Outcome the metric scatters use. */
  outcome?: 'train' | 'eval';
  /** Metrics to scatter (default: every metric the topologies have, plus p). */
  metrics?: string[];
  /** Most runs whose rate series are drawn side by side. */
  maxRatePanels?: number;
}

export interface Figure {
  name: string;
  spec: VegaLiteSpec;
}
export interface Table {
  name: string;
  rows: Record<string, unknown>[];
  columns?: string[];
}
export interface ReportContent {
  figures: Figure[];
  tables: Table[];
  summary: Record<string, unknown>;
}

interface RunData {
  run: RunRecord;
  config: RunConfig;
  label: string;
  /** The topology's layer sizes (labels name them when a figure pools several architectures). */
  sizes: number[];
  layers: number;
  epochs: EpochResult[];
  rates: RatePoint[];
  topology: TopologyRecord;
}

async function loadRun(store: Store, runId: string): Promise<RunData> {
  const run = await store.getRun(runId);
  const config = runConfigOf(run.config, run.id);
  const topology = await store.getTopology(run.topologyId);
  const [epochs, rates] = await Promise.all([store.listEpochs(run.id), store.listRates(run.id)]);
  return {
    run,
    config,
    label: runLabel(topology.spec, config),
    sizes: topology.spec.sizes,
    layers: topology.spec.sizes.length,
    epochs,
    rates,
    topology,
  };
}

/**
 * Labels must tell runs apart in a legend: when the pooled runs have different layer sizes every label
 * names its sizes (784-10-10 and 784-500-10 at the same p read alike otherwise); then the seed, then
 * the id, where labels would still repeat.
 */
export function distinctLabels(runs: Pick<RunData, 'label' | 'sizes' | 'config' | 'run'>[]): void {
  if (new Set(runs.map((r) => r.sizes.join('-'))).size > 1) {
    for (const r of runs) r.label = `${r.sizes.join('-')} ${r.label}`;
  }
  // Each pass decides on the labels as they were before it: renaming as it goes would leave the last
  // of three alike unrenamed (its label is unique by then) and bare beside the others.
  const repeated = () => {
    const counts = new Map<string, number>();
    for (const r of runs) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    return runs.map((r) => counts.get(r.label)! > 1);
  };
  const bySeed = repeated();
  runs.forEach((r, i) => {
    if (bySeed[i]) r.label = `${r.label}, seed ${r.config.train.seed}`;
  });
  const byId = repeated();
  runs.forEach((r, i) => {
    if (byId[i]) r.label = `${r.label} (${r.run.id})`;
  });
}

/**
 * What a run ended with, one row per run: errors of its last epoch (with the training error of
 * each block of ERROR_BLOCK_BATCHES batches counted during it), the eq. 2 rate of each pair averaged
 * over its last SUMMARY_BATCHES batches, deepest/output and the spread of the deep pairs.
 */
export function runOutcome(r: RunData): Record<string, unknown> {
  const last = r.epochs.at(-1);
  const summary = rateSummary(r.rates);
  return {
    runId: r.run.id,
    label: r.label,
    epochs: r.epochs.length,
    // Regression runs' errors are mean squared errors (docs/journal.md); the column says which.
    dataset: datasetOfStored(r.config),
    errorKind: errorKindOf(r.config),
    trainError: last?.trainError ?? null,
    evalError: last?.evalError ?? null,
    testError: last?.testError ?? null,
    ...Object.fromEntries((last?.blockErrors ?? []).map((e, k) => [`trainErrorBlock${k + 1}`, e])),
    ...Object.fromEntries(summary.meanRates.map((rate, pair) => [`ratePair${pair}`, rate])),
    deepestOverOutput: summary.deepestOverOutput,
    deepSpread: summary.deepSpread,
  };
}

/** The columns saying what data and error a run has: shown only when some run is not the paper's MNIST. */
const DATA_COLUMNS = ['dataset', 'errorKind'];

function outcomeColumns(rows: Record<string, unknown>[]): string[] {
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const numbered = (prefix: string) =>
    keys
      .filter((k) => k.startsWith(prefix))
      .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
  const data = rows.some((row) => row.dataset !== 'mnist') ? DATA_COLUMNS : [];
  return [
    'runId',
    'label',
    'epochs',
    ...data,
    'trainError',
    'evalError',
    'testError',
    ...numbered('trainErrorBlock'),
    ...numbered('ratePair'),
    'deepestOverOutput',
    'deepSpread',
  ];
}

function runFigures(runs: RunData[], options: ReportOptions): { figures: Figure[]; tables: Table[] } {
  const smooth = options.smooth ?? DEFAULT_SMOOTH;
  const errorsOf = (kind: 'class' | 'mse'): ErrorPoint[] =>
    runs.filter((r) => errorKindOf(r.config) === kind).flatMap((r) => errorPoints(r.label, r.epochs));
  const errors = errorsOf('class'),
    squaredErrors = errorsOf('mse');
  const blocks = runs.flatMap((r) =>
    r.epochs.flatMap((e) => blockErrorPoints(r.label, e, ERROR_BLOCK_BATCHES, batchesPerEpoch(r.config))),
  );
  const shown = runs.slice(0, options.maxRatePanels ?? 6).filter((r) => r.rates.length > 0);
  const series: RateSeriesPoint[] = shown.flatMap((r) => smoothedRateSeries(r.label, r.rates, smooth));
  const figures: Figure[] = [];
  if (errors.length > 0) figures.push({ name: 'errors', spec: errorCurvesSpec(errors) });
  // Regression runs on their own axis: a mean squared error is not a fraction of examples.
  if (squaredErrors.length > 0) {
    figures.push({ name: 'errors-mse', spec: errorCurvesSpec(squaredErrors, { errorKind: 'mse' }) });
  }
  // Epoch-long runs of the paper's network: how the error falls within the (first) epoch.
  if (runs.some((r) => r.epochs.some((e) => (e.blockErrors?.length ?? 0) > 1)))
    figures.push({ name: 'train-error-blocks', spec: blockErrorSpec(blocks) });
  const groups = seedGroups(runs);
  const seeded = groups.some((g) => g.runs.length > 1);
  if (seeded) {
    // Seeds of one configuration: their mean curve and range, one panel per configuration.
    const drawn = groups.filter((g) => g.runs.some((r) => r.rates.length > 0)).slice(0, options.maxRatePanels ?? 6);
    const bands = drawn.flatMap((g) =>
      rateBandSeries(
        g.label,
        g.runs.map((r) => r.rates),
        smooth,
      ),
    );
    if (bands.length > 0) {
      const layers = Math.max(...drawn.flatMap((g) => g.runs.map((r) => r.layers)));
      const seeds = Math.max(...drawn.map((g) => g.runs.length));
      const title =
        `Per-layer training rate (eq. 2), eq. 3 smoothing over ${2 * smooth + 1} batches: ` +
        `mean of ${seeds} seeds, band from the lowest to the highest`;
      figures.push({ name: 'rates', spec: rateBandSpec(bands, layers, { title }) });
    }
  } else if (series.length > 0) {
    const title = `Per-layer training rate (eq. 2), eq. 3 smoothing over ${2 * smooth + 1} batches`;
    const layers = Math.max(...shown.map((r) => r.layers));
    figures.push({ name: 'rates', spec: rateSeriesSpec(series, layers, { title }, removalSwitches(shown)) });
  }
  // Add-train-remove: a note on the first epoch without the removed connections (a column only when a run has one).
  const notes = runs.some((r) => removalEpoch(r.config) !== null);
  // What the errors are, as a column, once a run is not on the paper's MNIST (MSE for a regression).
  const kinds = runs.some((r) => datasetOfStored(r.config) !== 'mnist');
  const tables: Table[] = [
    {
      name: 'epochs',
      rows: runs.flatMap((r) =>
        r.epochs.map((e) => ({
          runId: r.run.id,
          label: r.label,
          ...(kinds ? { errorKind: errorKindOf(r.config) } : {}),
          ...e,
          blockErrors: e.blockErrors?.join(' ') ?? null,
          ...(notes ? { note: epochNote(r.config, e.epoch) } : {}),
        })),
      ),
      columns: [
        'runId',
        'label',
        'epoch',
        ...(kinds ? ['errorKind'] : []),
        'trainError',
        'evalError',
        'testError',
        'durationMs',
        'meanFreeSteps',
        'blockErrors',
        ...(notes ? ['note'] : []),
      ],
    },
    {
      name: 'rates',
      rows: runs.flatMap((r) => r.rates.map((p) => ({ runId: r.run.id, ...p }))),
      columns: ['runId', 'batch', 'pair', 'rate'],
    },
  ];
  const outcomes = runs.map(runOutcome);
  tables.push({ name: 'outcomes', rows: outcomes, columns: outcomeColumns(outcomes) });
  if (seeded) tables.push({ name: 'seeds', rows: groups.map(seedSummaryRow) });
  return { figures, tables };
}

interface SeedGroup {
  label: string;
  runs: RunData[];
}

/** Runs grouped by configuration (everything but the seeds), in the order they come. */
export function seedGroups(runs: readonly RunData[]): SeedGroup[] {
  const byKey = new Map<string, RunData[]>();
  for (const r of runs) {
    const key = seedlessKey(r.topology.spec, r.config);
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const architectures = new Set(runs.map((r) => r.sizes.join('-'))).size;
  const groups = [...byKey.values()].map((list) => {
    const first = list[0];
    const sizes = architectures > 1 ? `${first.sizes.join('-')} ` : '';
    return { label: `${sizes}${runLabel(first.topology.spec, first.config)}`, runs: list };
  });
  // Layered baselines first, then by p: a Fig. 5 seeds table reads in the figure's order.
  const position = (g: SeedGroup) => {
    const spec = g.runs[0].topology.spec;
    return spec.mode === 'layered' ? -1 : (spec.p ?? 0);
  };
  groups.sort((a, b) => position(a) - position(b));
  const count = (label: string) => groups.filter((g) => g.label === label).length;
  groups.forEach((g, k) => {
    if (count(g.label) > 1) g.label = `${g.label} (${k + 1})`;
  });
  return groups;
}

/** The outcome columns summarised across a configuration's seeds. */
const SEED_SUMMARY_FIELDS = ['trainError', 'evalError', 'testError', 'deepestOverOutput', 'deepSpread'];

function seedSummaryRow(g: SeedGroup): Record<string, unknown> {
  // Only finished runs: a seed still training (or stopped) has no outcome yet and must not be counted.
  const done = g.runs.filter((r) => r.run.status === 'done');
  const outcomes = done.map(runOutcome);
  const pairs = Object.keys(outcomes[0] ?? {}).filter((k) => k.startsWith('ratePair'));
  const fields = [...SEED_SUMMARY_FIELDS, ...pairs];
  return {
    configuration: g.label,
    seeds: done.map((r) => r.config.train.seed).join(' '),
    ...Object.fromEntries(
      fields.flatMap((field) => {
        const stat = seedStatistic(outcomes.map((o) => o[field] as number | null));
        return stat.mean === null
          ? []
          : [
              [`${field}.mean`, stat.mean],
              [`${field}.sd`, stat.sd],
              [`${field}.min`, stat.min],
              [`${field}.max`, stat.max],
            ];
      }),
    ),
  };
}

/** Where each run removed its layer-skipping connections, for rules on its rate panel. */
function removalSwitches(runs: readonly RunData[]): RateSwitch[] {
  return runs.flatMap((r) => {
    const batch = removalBatch(r.config);
    const what = epochNote(r.config, removalEpoch(r.config) ?? 0);
    return batch === null || what === null ? [] : [{ label: r.label, batch, what }];
  });
}

function runSummary(r: RunData): Record<string, unknown> {
  return {
    id: r.run.id,
    label: r.label,
    status: r.run.status,
    backend: r.run.backend,
    topologyId: r.run.topologyId,
    config: r.config,
    epochs: r.epochs,
    outcome: runOutcome(r),
    rateSummaryBatches: SUMMARY_BATCHES,
    errorBlockBatches: ERROR_BLOCK_BATCHES,
  };
}

/** A report over one or more runs (error curves and rate series side by side). */
export async function collectRunsReport(
  store: Store,
  runIds: readonly string[],
  options: ReportOptions = {},
): Promise<ReportContent> {
  const runs = await Promise.all(runIds.map((id) => loadRun(store, id)));
  distinctLabels(runs);
  const { figures, tables } = runFigures(runs, options);
  return { figures, tables, summary: { runs: runs.map(runSummary) } };
}

function batchesPerEpoch(config: RunConfig): number {
  return Math.floor(config.data.train / config.train.batchSize);
}

/** A sweep's report: its runs' curves, and for p sweeps the Fig. 5 figures and metric correlations. */
export async function collectSweepReport(
  store: Store,
  sweepId: string,
  options: ReportOptions = {},
): Promise<ReportContent> {
  const sweep = await store.getSweep(sweepId);
  // By id: deterministic order (for the presets, the paper's: layered one rate, per-layer, layer-skipping).
  const records = (await store.listRuns({ sweepId })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const runs = await Promise.all(records.map((r) => loadRun(store, r.id)));
  distinctLabels(runs);
  const content = runFigures(runs, { maxRatePanels: 6, ...options });
  const summary: Record<string, unknown> = { sweep, runs: runs.map(runSummary) };
  if ((sweep.config as { kind?: string }).kind === 'p-sweep') {
    const definition = sweep.config as unknown as SweepDefinition;
    const epoch = options.epoch ?? 1;
    const smooth = options.smooth ?? DEFAULT_SMOOTH;
    const rows = await store.correlationTable({ sweepId, epoch });
    const byId = new Map(runs.map((r) => [r.run.id, r]));
    const swept = rows.filter((row) => row.spec.mode !== 'layered' && row.trainErrorAt !== null);
    const baselineRows = rows.filter((row) => row.spec.mode === 'layered' && row.trainErrorAt !== null);
    const baseline =
      baselineRows.length > 0 ? baselineRows.reduce((s, r) => s + r.trainErrorAt!, 0) / baselineRows.length : null;
    // Training, held-out and (when the sweep measured it) official-test error: the paper's open question.
    const testErrorOf = (runId: string) => byId.get(runId)?.epochs.find((e) => e.epoch === epoch)?.testError ?? null;
    const errorVsP: ErrorVsPPoint[] = swept.flatMap((row) => {
      const at = { p: row.spec.p, seed: row.spec.seed };
      const test = testErrorOf(row.runId);
      return [
        { ...at, split: 'train' as const, error: row.trainErrorAt! },
        ...(row.evalErrorAt !== null ? [{ ...at, split: 'eval' as const, error: row.evalErrorAt }] : []),
        ...(test !== null ? [{ ...at, split: 'test' as const, error: test }] : []),
      ];
    });
    const rateVsP: RateVsPPoint[] = swept.flatMap((row) => {
      const run = byId.get(row.runId);
      if (!run) return [];
      return [...rateAtEpochEnd(run.rates, epoch, batchesPerEpoch(run.config), smooth)].map(([pair, rate]) => ({
        p: row.spec.p,
        seed: row.spec.seed,
        pair,
        rate,
      }));
    });
    if (errorVsP.length > 0)
      content.figures.push({ name: `error-vs-p-epoch${epoch}`, spec: errorVsPSpec(errorVsP, epoch, baseline) });
    if (rateVsP.length > 0)
      content.figures.push({
        name: `rate-vs-p-epoch${epoch}`,
        spec: rateVsPSpec(rateVsP, definition.sizes.length, epoch),
      });
    const metrics = metricCorrelations(swept, options, epoch);
    content.figures.push(...metrics.figures);
    content.tables.push(
      {
        name: 'sweep',
        rows: swept.map((row) => ({
          runId: row.runId,
          p: row.spec.p,
          n: row.spec.n,
          seed: row.spec.seed,
          [`trainErrorAfterEpoch${epoch}`]: row.trainErrorAt,
          [`evalErrorAfterEpoch${epoch}`]: row.evalErrorAt,
          [`testErrorAfterEpoch${epoch}`]: testErrorOf(row.runId),
          ...Object.fromEntries(
            rateVsP
              .filter((q) => q.p === row.spec.p && q.seed === row.spec.seed)
              .map((q) => [`ratePair${q.pair}`, q.rate]),
          ),
          ...prefixed(row.metrics),
        })),
      },
      { name: 'correlations', rows: metrics.table, columns: ['metric', 'outcome', 'n', 'pearson', 'spearman'] },
    );
    summary.epoch = epoch;
    summary.baselineTrainError = baseline;
    summary.correlations = metrics.table;
    const ranking = predictorRanking(runs);
    if (ranking) {
      content.tables.push({
        name: 'predictors',
        rows: ranking.rows.map((r) => ({ ...r, leftOut: r.leftOut.join('; ') })),
        columns: PREDICTOR_COLUMNS,
      });
      content.tables.push({ name: 'configurations', rows: ranking.configurations.map(configurationRow) });
      for (const outcome of ['trainError', 'evalError', 'testError']) {
        if (!ranking.rows.some((r) => r.outcome === outcome)) continue;
        content.figures.push({ name: `predictors-${outcome}`, spec: predictorRankingSpec(ranking.rows, outcome) });
        content.figures.push({
          name: `${outcome}-by-family`,
          spec: outcomeByFamilySpec(ranking.configurations, outcome),
        });
      }
      summary.predictors = {
        runs: ranking.runs,
        topologies: ranking.topologies,
        configurations: ranking.configurations.length,
        control: ranking.control,
      };
    }
  }
  return { figures: content.figures, tables: content.tables, summary };
}

const PREDICTOR_COLUMNS = [
  'metric',
  'kind',
  'outcome',
  'n',
  'spearman',
  'spearmanLow',
  'spearmanHigh',
  'pearson',
  'partialSpearman',
  'cvR2',
  'leftOut',
];

/**
 * The predictor ranking of a sweep's finished runs (already loaded for the report), pooled over
 * architectures; null with fewer than 3 topology configurations.
 */
function predictorRanking(runs: readonly RunData[]): PredictorTable | null {
  const rows = runs
    .filter((r) => r.run.status === 'done')
    .map((r) => predictorRunOf(r.run, r.topology, r.epochs, r.rates))
    .filter((r): r is PredictorRun => r !== null);
  const table = rankPredictors(rows, { pool: true });
  return table.configurations.length >= 3 ? table : null;
}

function configurationRow(c: Configuration): Record<string, unknown> {
  return {
    configuration: c.key,
    family: c.family,
    sizes: c.sizes.join('-'),
    budget: c.budget,
    seeds: c.seeds.join(' '),
    ...Object.fromEntries(
      Object.entries(c.outcomes).flatMap(([name, o]) => [
        [`${name}.mean`, o.mean],
        [`${name}.sd`, o.sd],
      ]),
    ),
    ...prefixed(c.metrics),
  };
}

function prefixed(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`metric.${k}`, v]));
}

/**
 * The metrics scattered by default: the small-world ones the paper discusses, and the path
 * counts to the output it suspected matter more (graph/metrics/index.ts defines each key).
 * Every other metric is still in correlations.csv; --metric picks any of them.
 */
export const DEFAULT_SCATTER_METRICS = [
  'p',
  'L',
  'C',
  'sigma',
  'omega',
  'diameter',
  'edges.skip',
  'distToOutput.mean.l0',
  'log10ShortestPaths.l0',
  'log10Walks.l0',
];

/** Pearson and Spearman of every metric (and p) against train and eval error after epoch k; a scatter per metric. */
function metricCorrelations(
  rows: CorrelationRow[],
  options: ReportOptions,
  epoch: number,
): { figures: Figure[]; table: Record<string, unknown>[] } {
  const names = ['p', ...[...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort()];
  const value = (row: CorrelationRow, name: string) => (name === 'p' ? row.spec.p : (row.metrics[name] ?? null));
  const outcomes = { train: (r: CorrelationRow) => r.trainErrorAt, eval: (r: CorrelationRow) => r.evalErrorAt };
  const table: Record<string, unknown>[] = [];
  for (const name of names) {
    for (const [outcome, get] of Object.entries(outcomes)) {
      const c = correlate(
        rows.map((r) => value(r, name)),
        rows.map(get),
      );
      table.push({ metric: name, outcome: `${outcome}ErrorAfterEpoch${epoch}`, ...c });
    }
  }
  const outcome = options.outcome ?? 'train';
  const figures: Figure[] = [];
  const varies = (name: string) => new Set(rows.map((r) => value(r, name))).size > 1;
  for (const name of options.metrics ?? DEFAULT_SCATTER_METRICS.filter((m) => names.includes(m) && varies(m))) {
    const points = rows
      .map((r) => ({ runId: r.runId, x: value(r, name), y: outcomes[outcome](r), group: `seed ${r.spec.seed}` }))
      .filter(
        (q): q is { runId: string; x: number; y: number; group: string } =>
          q.x !== null && q.y !== null && Number.isFinite(q.x) && Number.isFinite(q.y),
      );
    if (points.length === 0) continue;
    const c = correlate(
      points.map((q) => q.x),
      points.map((q) => q.y),
    );
    figures.push({
      name: `metric-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-vs-${outcome}-error`,
      spec: metricScatterSpec(points, name, `${outcome} error after epoch ${epoch}`, c),
    });
  }
  return { figures, table };
}

/** Writes <name>.svg, <name>.png and <name>.vl.json per figure, <name>.csv per table, report.json. */
export async function writeReport(content: ReportContent, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: string | Buffer) => {
    const path = join(outDir, name);
    writeFileSync(path, data);
    written.push(path);
  };
  for (const figure of content.figures) {
    const svg = await renderSvg(figure.spec);
    write(`${figure.name}.svg`, svg);
    write(`${figure.name}.png`, svgToPng(svg));
    write(`${figure.name}.vl.json`, `${JSON.stringify(figure.spec)}\n`); // compact: specs embed their data
  }
  for (const table of content.tables) write(`${table.name}.csv`, toCsv(table.rows, table.columns));
  const figures = content.figures.map((f) => f.name);
  const tables = content.tables.map((t) => t.name);
  write('report.json', `${JSON.stringify({ ...content.summary, figures, tables }, null, 1)}\n`);
  return written;
}
