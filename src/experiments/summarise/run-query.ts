/**
 * Filtering and sorting run summaries (run-summary.ts): the grammar of `eqprop runs list`'s
 * --metric-range and --sort, kept apart from the command so the API and tests use the same rules.
 *
 * --metric-range NAME OP VALUE, OP one of < <= > >= =, e.g. `train-error<0.1`, `eval-error<=2.5%`,
 * `L>2`. NAME is a column (train-error, eval-error, test-error, p, n, epochs, free-steps, duration
 * in seconds, seed) or any stored graph metric of the run's topology (L, C, sigma, omega, …).
 * Errors and p take a fraction (0.1) or a percentage (10%). A run without the value does not match.
 */
import { InputError } from '../../../lib/index.js';
import type { ResolvedSpec } from '../../../graph/index.js';
import type { RunSummary } from './run-summary.js';

// The field's name comes from the caller: a query field (the API) or a flag (the CLI).
const MODULE = 'experiments';

type Value = number | string | null;

/** Sortable and filterable columns, by the name users type. */
export const RUN_COLUMNS: Record<string, (r: RunSummary) => Value> = {
  id: (r) => r.id,
  status: (r) => r.status,
  mode: (r) => r.mode,
  sizes: (r) => (r.sizes ? r.sizes.map((s) => String(s).padStart(8, '0')).join('-') : null), // numeric order per layer
  p: (r) => (r.mode === 'layered' ? null : r.p),
  n: (r) => (r.mode === 'layered' ? null : r.n),
  seed: (r) => r.seed,
  epochs: (r) => r.epochsDone,
  'train-error': (r) => r.trainError,
  'eval-error': (r) => r.evalError,
  'test-error': (r) => r.testError,
  'free-steps': (r) => r.meanFreeSteps,
  duration: (r) => r.durationMs / 1000,
  sweep: (r) => r.sweepId,
  created: (r) => r.createdAt,
};

/** Columns whose values may be written as percentages. */
const FRACTION_COLUMNS = new Set(['train-error', 'eval-error', 'test-error', 'p']);

export type Comparison = '<' | '<=' | '>' | '>=' | '=';

export interface MetricRange {
  name: string;
  op: Comparison;
  value: number;
}

export interface RunQuery {
  mode?: ResolvedSpec['mode'];
  sizes?: number[];
  status?: string;
  sweepId?: string;
  pMin?: number;
  pMax?: number;
  ranges?: MetricRange[];
  /** Case-insensitive substring of the run id, sweep id, topology id or topology name. */
  text?: string;
}

export interface SortOrder {
  column: string;
  descending: boolean;
}

const RANGE_SYNTAX = /^\s*([A-Za-z][A-Za-z0-9_.-]*)\s*(<=|>=|<|>|=)\s*([-+]?[\d.]+(?:e[-+]?\d+)?)\s*(%?)\s*$/i;

export function parseMetricRange(flag: string, raw: string): MetricRange {
  const m = RANGE_SYNTAX.exec(raw);
  const expected =
    'NAME<VALUE, NAME<=VALUE, NAME>VALUE, NAME>=VALUE or NAME=VALUE, ' + 'e.g. train-error<0.1 or eval-error<=2.5%';
  if (!m) throw new InputError(MODULE, flag, `${JSON.stringify(raw)} is not a comparison`, expected);
  const [, name, op, number, pct] = m;
  let value = Number(number);
  if (!Number.isFinite(value)) {
    throw new InputError(MODULE, flag, `${JSON.stringify(number)} is not a number`, expected);
  }
  if (pct) {
    if (!FRACTION_COLUMNS.has(name)) {
      throw new InputError(
        MODULE,
        flag,
        `${name} is not a fraction, so ${number}% means nothing`,
        `a percentage only for ${[...FRACTION_COLUMNS].join(', ')}`,
      );
    }
    value /= 100;
  }
  return { name, op: op as Comparison, value };
}

export function parseSort(flag: string, raw: string): SortOrder {
  const [column, direction, ...rest] = raw.split(':');
  const badDirection = direction !== undefined && direction !== 'desc' && direction !== 'asc';
  if (!Object.hasOwn(RUN_COLUMNS, column) || rest.length > 0 || badDirection) {
    throw new InputError(
      MODULE,
      flag,
      `${JSON.stringify(raw)} is not a column[:desc]`,
      `one of ${Object.keys(RUN_COLUMNS).join(', ')}, optionally followed by :desc or :asc`,
    );
  }
  return { column, descending: direction === 'desc' };
}

function columnValue(row: RunSummary, name: string): number | null {
  // Own properties only: a name like "constructor" must not reach the prototype.
  const v = Object.hasOwn(RUN_COLUMNS, name)
    ? RUN_COLUMNS[name](row)
    : Object.hasOwn(row.metrics, name)
      ? row.metrics[name]
      : null;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function holds(v: number, op: Comparison, bound: number): boolean {
  switch (op) {
    case '<':
      return v < bound;
    case '<=':
      return v <= bound;
    case '>':
      return v > bound;
    case '>=':
      return v >= bound;
    case '=':
      return v === bound;
  }
}

export function matchesQuery(row: RunSummary, q: RunQuery): boolean {
  if (q.mode !== undefined && row.mode !== q.mode) return false;
  if (q.sizes !== undefined && (row.sizes === null || row.sizes.join(',') !== q.sizes.join(','))) return false;
  if (q.status !== undefined && row.status !== q.status) return false;
  if (q.sweepId !== undefined && row.sweepId !== q.sweepId) return false;
  if (q.pMin !== undefined || q.pMax !== undefined) {
    // A layered net is p = 0 for a range (it has no skips), so --p-max 0.01 keeps it.
    const p = row.mode === 'layered' ? 0 : row.p;
    if (p === null || (q.pMin !== undefined && p < q.pMin) || (q.pMax !== undefined && p > q.pMax)) return false;
  }
  for (const r of q.ranges ?? []) {
    const v = columnValue(row, r.name);
    if (v === null || !holds(v, r.op, r.value)) return false;
  }
  if (q.text) {
    const needle = q.text.toLowerCase();
    const texts = [row.id, row.sweepId, row.topologyId, row.topologyName];
    if (!texts.some((s) => s?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** A stable sort by one column; runs without a value come last in both directions. */
export function sortRuns(rows: RunSummary[], order: SortOrder): RunSummary[] {
  const key = RUN_COLUMNS[order.column];
  const sign = order.descending ? -1 : 1;
  return rows
    .map((row, i) => ({ row, i, v: key(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}
