/**
 * Vega-Lite specifications of every figure eqprop-lab draws: pure functions from data rows to a
 * spec. The CLI renders them to SVG/PNG (src/reports/render.ts) and the web UI embeds the SAME
 * functions, so this module must stay free of Node imports (type-only imports are erased).
 */
import type { TopLevelSpec } from 'vega-lite';
import { labelsByP } from './labels.js';
import { describeCorrelation } from './statistics.js';

export type VegaLiteSpec = TopLevelSpec;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface FigureOptions {
  title?: string;
  /** Replaces a figure's computed subtitle (the scatter's pooled coefficients when they are per group). */
  subtitle?: string;
  width?: number;
  height?: number;
  /** What the errors are: class error fractions (default, drawn as %) or a regression's mean squared error. */
  errorKind?: 'class' | 'mse';
}

/** A log axis only when the values span a decade or more: a narrow range reads better on a linear one. */
export function spansDecades(values: readonly number[]): boolean {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  return positive.length > 1 && Math.max(...positive) / Math.min(...positive) >= 10;
}

function valueScale(values: readonly number[]): { type: 'log' } | { zero: false } {
  return spansDecades(values) ? { type: 'log' } : { zero: false };
}

/** Tableau 20 (Tableau 10's colours first): distinct colours for up to 20 series. */
const TABLEAU_20 = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#a0cbe8',
  '#ffbe7d',
  '#ff9d9a',
  '#86bcb6',
  '#8cd17d',
  '#f1ce63',
  '#d4a6c8',
  '#fabfd2',
  '#d7b5a6',
  '#79706e',
];

/**
 * One colour per series, none repeated within a figure (Vega's default scheme repeats after 10):
 * Tableau 20, then hues spread by the golden angle at two lightnesses.
 */
export function distinctColours(count: number): string[] {
  if (count <= TABLEAU_20.length) return TABLEAU_20.slice(0, count);
  return Array.from({ length: count }, (_, i) =>
    i < TABLEAU_20.length ? TABLEAU_20[i]! : `hsl(${Math.round((i * 137.508) % 360)}, 65%, ${i % 2 === 0 ? 42 : 60}%)`,
  );
}

/** A colour encoding whose every label gets its own colour, in the given order. */
function distinctColour(field: string, labels: readonly string[], title: string | null) {
  return {
    field,
    type: 'nominal' as const,
    title,
    sort: [...labels],
    scale: { domain: [...labels], range: distinctColours(labels.length) },
    legend: { labelLimit: 400 },
  };
}

/** One point of an error curve: a run (label), a split and the error after an epoch (fraction 0…1). */
export interface ErrorPoint {
  label: string;
  epoch: number;
  split: 'train' | 'eval' | 'test';
  error: number;
}

/**
 * Fig. 3: training (solid line, filled dots) and evaluation (dashed line, triangles) error against
 * epoch, one colour per run, none repeated. Log y axis as in the paper when the errors span a decade
 * (an error of exactly 0 is then drawn at half the smallest non-zero error so a perfect epoch stays
 * on the plot), linear otherwise. The split legend shows each split's dash and marker.
 */
export function errorCurvesSpec(points: readonly ErrorPoint[], options: FigureOptions = {}): VegaLiteSpec {
  const positive = points.map((p) => p.error).filter((e) => e > 0);
  const floor = positive.length > 0 ? Math.min(...positive) / 2 : 1e-3;
  // One epoch is one point per curve: a line alone would draw nothing, so points are always
  // drawn, and a single epoch gets room on both sides instead of a zero-width axis.
  const epochs = [...new Set(points.map((p) => p.epoch))];
  const log = spansDecades(points.map((p) => p.error));
  const xScale = epochs.length === 1 ? { domain: [epochs[0] - 1, epochs[0] + 1] } : {};
  const mse = options.errorKind === 'mse';
  return {
    $schema: SCHEMA,
    title:
      options.title ??
      `${mse ? 'Mean squared error' : 'Error'} against epoch (solid: training, dashed: ` +
        `evaluation${points.some((p) => p.split === 'test') ? ', dotted: test' : ''})`,
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values: points.map((p) => ({ ...p, shown: log ? Math.max(p.error, floor) : p.error })) },
    mark: { type: 'line', strokeWidth: 1.8, point: { filled: true, size: 36 } },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', scale: xScale, axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'shown',
        type: 'quantitative',
        title: mse ? 'mean squared error' : 'error',
        scale: log ? { type: 'log' } : { zero: false },
        axis: { format: mse ? '.2~g' : '.2~%' },
      },
      color: distinctColour('label', labelsByP(points.map((p) => p.label)), 'network'),
      // Dash and marker both follow the split, in one legend (same field and title), so training and
      // evaluation differ in the legend too, not only on the plot.
      strokeDash: {
        field: 'split',
        type: 'nominal',
        title: 'split',
        scale: splitDashes(points),
        legend: { symbolType: 'stroke', symbolStrokeWidth: 2, symbolSize: 300 },
      },
      shape: { field: 'split', type: 'nominal', title: 'split', scale: splitShapes(points) },
      tooltip: [
        { field: 'label', type: 'nominal' },
        { field: 'split', type: 'nominal' },
        { field: 'epoch', type: 'quantitative' },
        { field: 'error', type: 'quantitative', format: mse ? '.4~g' : '.3%' },
      ],
    },
  };
}

/** Circles for training, triangles for evaluation, squares for test — only the splits that were measured. */
function splitShapes(points: readonly ErrorPoint[]) {
  const shapes = { train: 'circle', eval: 'triangle-up', test: 'square' } as const;
  const present = (['train', 'eval', 'test'] as const).filter((s) => points.some((p) => p.split === s));
  return { domain: [...present], range: present.map((s) => shapes[s]) };
}

/** Solid training, dashed evaluation, dotted test — only the splits that were measured. */
function splitDashes(points: readonly ErrorPoint[]) {
  const dashes = { train: [1, 0], eval: [6, 3], test: [2, 2] } as const;
  const present = (['train', 'eval', 'test'] as const).filter((s) => points.some((p) => p.split === s));
  return { domain: [...present], range: present.map((s) => [...dashes[s]]) };
}

/** One point of a per-layer training-rate series (SPEC §5 eq. 2), raw and eq. 3 smoothed. */
export interface RateSeriesPoint {
  label: string;
  pair: number;
  batch: number;
  rate: number;
  smoothed: number;
}

/** Name of adjacent layer pair l, as the paper's legends do (input–h1 is pair 0). */
export function pairName(pair: number, layers: number): string {
  const name = (l: number) => (l === 0 ? 'input' : l === layers - 1 ? 'output' : `h${l}`);
  return `${name(pair)}–${name(pair + 1)}`;
}

/**
 * A switch within a run drawn on its rate panel as a vertical rule: add-train-remove's removal
 * of the layer-skipping connections, at the global batch of the first batch trained without them.
 */
export interface RateSwitch {
  label: string;
  batch: number;
  /** What happened there (the rule's tooltip), e.g. "skips removed". */
  what: string;
}

/**
 * Fig. 4: the per-layer training rate against batch on a log axis, eq. 3 smoothed (raw values
 * faint underneath), one panel per run. `layers` = number of layers, for the pair names.
 * `switches` (add-train-remove) are dashed vertical rules on the panels of their runs.
 */
export function rateSeriesSpec(
  points: readonly RateSeriesPoint[],
  layers: number,
  options: FigureOptions = {},
  switches: readonly RateSwitch[] = [],
): VegaLiteSpec {
  const values: Record<string, unknown>[] = points
    .filter((p) => p.rate > 0 && p.smoothed > 0)
    .map((p) => ({ ...p, pairName: pairName(p.pair, layers) }));
  const order = Array.from({ length: Math.max(1, layers - 1) }, (_, l) => pairName(l, layers));
  // Log only when the rates span a decade (they usually do: the deep pairs learn orders of magnitude slower).
  const rateScale = valueScale(values.flatMap((v) => [v.rate as number, v.smoothed as number]));
  // Full-strength legend symbols (the faint raw layer would otherwise set them).
  const color = {
    field: 'pairName',
    type: 'nominal' as const,
    title: 'layer pair',
    scale: { domain: order },
    legend: { symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const labels = [...new Set(values.map((v) => v.label as string))];
  // A facet gives each panel its rows of the one data set, so a switch is a row of its run's label
  // that only the rule layer draws (the lines skip rows without a rate).
  const marks = switches
    .filter((s) => labels.includes(s.label))
    .map((s) => ({ label: s.label, switchBatch: s.batch, what: s.what }));
  const onlyRates = marks.length > 0 ? { transform: [{ filter: 'isValid(datum.rate)' }] } : {};
  const rule = {
    transform: [{ filter: 'isValid(datum.switchBatch)' }],
    mark: { type: 'rule', strokeDash: [5, 3], color: 'black', strokeWidth: 1.2 },
    encoding: {
      x: { field: 'switchBatch', type: 'quantitative' },
      tooltip: [
        { field: 'what', type: 'nominal' },
        { field: 'switchBatch', type: 'quantitative', title: 'batch' },
      ],
    },
  };
  return {
    $schema: SCHEMA,
    title: options.title ?? 'Per-layer training rate (eq. 2), eq. 3 smoothing',
    data: { values: [...values, ...marks] },
    // Panels in the order the runs come, not alphabetically.
    facet: { column: { field: 'label', type: 'nominal', title: null, sort: labels } },
    spec: {
      width: options.width ?? 300,
      height: options.height ?? 240,
      // Smoothed first: the legend takes its symbols from the first layer.
      layer: [
        {
          ...onlyRates,
          mark: { type: 'line', strokeWidth: 1.8 },
          encoding: {
            x: { field: 'batch', type: 'quantitative', title: 'batch' },
            y: { field: 'smoothed', type: 'quantitative', scale: rateScale, title: 'training rate Δw' },
            color,
          },
        },
        {
          ...onlyRates,
          mark: { type: 'line', opacity: 0.2, strokeWidth: 0.8 },
          encoding: {
            x: { field: 'batch', type: 'quantitative' },
            y: { field: 'rate', type: 'quantitative', scale: rateScale },
            color,
          },
        },
        ...(marks.length > 0 ? [rule] : []),
      ] as never,
    },
    resolve: { scale: { y: 'shared' } },
  };
}

/** One point of a rate band (src/reports/seed-bands.ts): a pair's smoothed rate across seeds. */
export interface RateBandSpecPoint {
  label: string;
  pair: number;
  batch: number;
  mean: number;
  low: number;
  high: number;
  seeds: number;
}

/**
 * Fig. 4 with seeds: one panel per configuration, each pair's eq. 3-smoothed rate as the mean
 * across seeds (line) inside the band from the lowest to the highest seed.
 */
export function rateBandSpec(
  points: readonly RateBandSpecPoint[],
  layers: number,
  options: FigureOptions = {},
): VegaLiteSpec {
  const values = points
    .filter((p) => p.low > 0 && p.mean > 0)
    .map((p) => ({ ...p, pairName: pairName(p.pair, layers) }));
  const order = Array.from({ length: Math.max(1, layers - 1) }, (_, l) => pairName(l, layers));
  const rateScale = valueScale(values.flatMap((v) => [v.low, v.high]));
  const color = {
    field: 'pairName',
    type: 'nominal' as const,
    title: 'layer pair',
    scale: { domain: order },
    legend: { symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const labels = [...new Set(values.map((v) => v.label))];
  const seeds = Math.max(0, ...values.map((v) => v.seeds));
  const x = { field: 'batch', type: 'quantitative' as const, title: 'batch' };
  return {
    $schema: SCHEMA,
    title: options.title ?? `Per-layer training rate (eq. 2): mean of ${seeds} seeds, band from lowest to highest`,
    data: { values },
    facet: { column: { field: 'label', type: 'nominal', title: null, sort: labels } },
    spec: {
      width: options.width ?? 300,
      height: options.height ?? 240,
      layer: [
        {
          mark: { type: 'line', strokeWidth: 1.8 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', scale: rateScale, title: 'training rate Δw' },
            color,
          },
        },
        {
          mark: { type: 'area', opacity: 0.25 },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative', scale: rateScale },
            y2: { field: 'high' },
            color,
          },
        },
      ] as never,
    },
    resolve: { scale: { y: 'shared' } },
  };
}

/** Tick values for p on a symmetric-log axis: 1-2-5 steps from 10^-5 up to the largest p. */
const P_TICKS = [0, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

/**
 * The p axis of Fig. 5: p spans orders of magnitude and includes 0, so a symmetric-log scale
 * (linear below `constant`, logarithmic above) with explicit ticks.
 */
function pAxis(ps: readonly number[]) {
  const max = Math.max(0, ...ps);
  const positive = ps.filter((p) => p > 0);
  const constant = positive.length > 0 ? Math.min(...positive) / 2 : 1e-3;
  const ticks = P_TICKS.filter((t) => t <= max * 1.0001 && (t === 0 || t >= constant));
  return {
    field: 'p',
    type: 'quantitative' as const,
    title: 'p (fraction of connections replaced)',
    scale: { type: 'symlog' as const, constant },
    axis: { format: '.2~%', values: ticks, labelAngle: 0 },
  };
}

/** Which images an error was counted on: the training set, the held-out (eval) split, the official test set. */
export type ErrorSplit = 'train' | 'eval' | 'test';

const SPLIT_NAMES: Record<ErrorSplit, string> = { train: 'training', eval: 'held-out (eval)', test: 'official test' };

/** One run of a p sweep: its p, seed and an error after epoch k (on `split`; default training). */
export interface ErrorVsPPoint {
  p: number;
  seed: number;
  error: number;
  split?: ErrorSplit;
}

/**
 * Fig. 5 (top): error after epoch k against p, each seed a point, the mean over seeds a line. p
 * spans orders of magnitude and includes 0, so the x axis is symmetric-log. An optional baseline
 * (the layered one-rate network's training error) is a dashed horizontal rule. Points of several
 * splits (the paper's open question: does the test error follow the training error?) are one
 * colour per split; a sweep that measured only the training error gets the paper's plot unchanged.
 */
export function errorVsPSpec(
  points: readonly ErrorVsPPoint[],
  epoch: number,
  baseline: number | null,
  options: FigureOptions = {},
): VegaLiteSpec {
  const x = pAxis(points.map((q) => q.p));
  const splits = (['train', 'eval', 'test'] as const).filter((s) => points.some((q) => (q.split ?? 'train') === s));
  const several = splits.length > 1;
  const names = splits.map((s) => SPLIT_NAMES[s]);
  const color = several
    ? { color: { field: 'splitName', type: 'nominal', title: 'error on', scale: { domain: names } } }
    : {};
  const yTitle = several ? `error after epoch ${epoch}` : `training error after epoch ${epoch}`;
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'point', filled: true, opacity: 0.6 },
      encoding: {
        x,
        y: { field: 'error', type: 'quantitative', title: yTitle, axis: { format: '.0%' } },
        ...color,
        tooltip: [
          { field: 'p', format: '.3%' },
          { field: 'seed' },
          ...(several ? [{ field: 'splitName', title: 'error on' }] : []),
          { field: 'error', format: '.2%' },
        ],
      },
    },
    {
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: { x, y: { aggregate: 'mean', field: 'error', type: 'quantitative' }, ...color },
    },
  ];
  // Several seeds: the line is their mean and a bar spans ± one standard deviation across them.
  if (new Set(points.map((q) => q.seed)).size > 1) {
    layers.push({
      mark: { type: 'errorbar', extent: 'stdev', ticks: true },
      encoding: { x, y: { field: 'error', type: 'quantitative' }, ...color },
    });
  }
  if (baseline !== null) {
    layers.push({
      data: { values: [{ baseline, label: 'layered, one rate' }] },
      mark: { type: 'rule', strokeDash: [6, 4], color: 'gray' },
      encoding: { y: { field: 'baseline', type: 'quantitative' } },
    });
  }
  const what = several ? `Error (${names.join(', ')})` : 'Training error';
  const seeds = new Set(points.map((q) => q.seed)).size;
  // A partly seeded sweep (reproduce --points) has points with fewer seeds: the title gives the range.
  const perP = new Map<number, Set<number>>();
  for (const q of points) perP.set(q.p, (perP.get(q.p) ?? new Set()).add(q.seed));
  const fewest = Math.min(...[...perP.values()].map((set) => set.size));
  const seedCount = fewest < seeds ? `${fewest}–${seeds}` : `${seeds}`;
  const dashed = baseline !== null ? ` (dashed: layered network, one rate${several ? ', training error' : ''})` : '';
  return {
    $schema: SCHEMA,
    title:
      options.title ??
      `${what} after epoch ${epoch} against p${seeds > 1 ? ` (mean ± sd of ${seedCount} seeds)` : ''}${dashed}`,
    width: options.width ?? 480,
    height: options.height ?? 280,
    data: { values: points.map((p) => (several ? { ...p, splitName: SPLIT_NAMES[p.split ?? 'train'] } : { ...p })) },
    layer: layers as never,
  };
}

/** Fig. 5 (bottom): each layer pair's training rate at the end of epoch k against p. */
export interface RateVsPPoint {
  p: number;
  seed: number;
  pair: number;
  rate: number;
}

export function rateVsPSpec(
  points: readonly RateVsPPoint[],
  layers: number,
  epoch: number,
  options: FigureOptions = {},
): VegaLiteSpec {
  const order = Array.from({ length: Math.max(1, layers - 1) }, (_, l) => pairName(l, layers));
  return {
    $schema: SCHEMA,
    title: options.title ?? `Per-layer training rate at the end of epoch ${epoch} against p`,
    width: options.width ?? 480,
    height: options.height ?? 280,
    data: { values: points.filter((p) => p.rate > 0).map((p) => ({ ...p, pairName: pairName(p.pair, layers) })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: pAxis(points.map((q) => q.p)),
      y: {
        aggregate: 'mean',
        field: 'rate',
        type: 'quantitative',
        title: 'training rate Δw (eq. 3 smoothed)',
        scale: valueScale(points.map((q) => q.rate)),
      },
      color: { field: 'pairName', type: 'nominal', title: 'layer pair', scale: { domain: order } },
    },
  };
}

/** Any graph metric against any outcome, one point per run. */
export interface ScatterPoint {
  runId: string;
  x: number;
  y: number;
  group: string;
}

export interface CorrelationSummary {
  n: number;
  pearson: number | null;
  spearman: number | null;
}

/** How an axis of the scatter formats its values: errors and p as percentages, the rest as numbers. */
function scatterFormat(name: string): string {
  return /error/i.test(name) || name === 'p' ? '.2~%' : '.4~g';
}

export function metricScatterSpec(
  points: readonly ScatterPoint[],
  xName: string,
  yName: string,
  correlation: CorrelationSummary,
  options: FigureOptions = {},
): VegaLiteSpec {
  const groups = [...new Set(points.map((p) => p.group))].sort();
  return {
    $schema: SCHEMA,
    title: {
      text: options.title ?? `${yName} against ${xName}`,
      subtitle: options.subtitle ?? describeCorrelation(correlation),
    },
    width: options.width ?? 400,
    height: options.height ?? 300,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'point', filled: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: xName,
        scale: { zero: false },
        axis: { format: scatterFormat(xName) },
      },
      // Outcomes are errors (fractions): shown as percentages like every other error.
      y: {
        field: 'y',
        type: 'quantitative',
        title: yName,
        scale: { zero: false },
        axis: { format: scatterFormat(yName) },
      },
      color: distinctColour('group', groups, null),
      // The tooltip in the axes' units: an error of 0.1234 reads 12.34 %, as on the axis.
      tooltip: [
        { field: 'runId' },
        { field: 'x', title: xName, type: 'quantitative', format: scatterFormat(xName) },
        { field: 'y', title: yName, type: 'quantitative', format: scatterFormat(yName) },
      ],
    },
  };
}

/** The running training error of one block of batches within an epoch (fraction 0…1). */
export interface BlockErrorPoint {
  label: string;
  /** Training batches seen when the block ended (500, 1000, …). */
  batches: number;
  error: number;
}

/**
 * The training error counted during one epoch, per block of batches, one line (with points, so a
 * single block still shows) per run: how fast each network starts to learn (paper Fig. 5's measure).
 */
export function blockErrorSpec(points: readonly BlockErrorPoint[], options: FigureOptions = {}): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: options.title ?? 'Training error counted during the epoch, per block of batches',
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values: [...points] },
    mark: { type: 'line', point: true, strokeWidth: 1.8 },
    encoding: {
      x: { field: 'batches', type: 'quantitative', title: 'training batches at the end of the block' },
      y: { field: 'error', type: 'quantitative', title: 'training error in the block', axis: { format: '.0%' } },
      color: distinctColour('label', labelsByP(points.map((p) => p.label)), 'network'),
      tooltip: [
        { field: 'label', type: 'nominal' },
        { field: 'batches', type: 'quantitative' },
        { field: 'error', type: 'quantitative', format: '.2%' },
      ],
    },
  };
}
