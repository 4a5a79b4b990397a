/**
 * The one metric-range syntax of the CLI flags, the API query strings and the web query form:
 * `name:min:max`, bounds inclusive, either bound empty, several comma-separated — e.g.
 * `L:1.4:1.6,sigma:1:`. Names are the graph metrics (graph/metrics/names.ts); an unknown name is
 * refused with the list of valid ones. (`eqprop runs list --metric-range` also takes the older
 * comparison form `L>=1.4`, kept as an alias.)
 */
import { InputError } from '../../../lib/index.js';
import { isMetricName, metricNamesText } from '../../../graph/index.js';
import type { NumberRange } from '../../store/contract.js';

export const METRIC_RANGE_SYNTAX =
  'name:min:max with inclusive bounds, either possibly empty, comma-separated, e.g. L:1.4:1.6,sigma:1:';
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

export function checkMetricName(name: string, field: string, extra: readonly string[] = []): void {
  if (isMetricName(name) || extra.includes(name)) return;
  throw new InputError(
    'experiments',
    field,
    `unknown metric ${JSON.stringify(name)}`,
    `one of ${[...extra, metricNamesText()].join(', ')}`,
  );
}

function bound(raw: string, field: string, entry: string): number | undefined {
  if (raw === '') return undefined;
  if (!DECIMAL.test(raw))
    throw new InputError(
      'experiments',
      field,
      `${JSON.stringify(raw)} in ${JSON.stringify(entry)} is not a decimal number`,
      METRIC_RANGE_SYNTAX,
    );
  return Number(raw);
}

/** One `name:min:max` entry. */
export function parseMetricRangeEntry(
  entry: string,
  field: string,
  extraNames: readonly string[] = [],
): [string, NumberRange] {
  const parts = entry.trim().split(':');
  if (parts.length !== 3 || parts[0] === '')
    throw new InputError('experiments', field, `${JSON.stringify(entry)} is not name:min:max`, METRIC_RANGE_SYNTAX);
  const [name, minRaw, maxRaw] = parts as [string, string, string];
  checkMetricName(name, field, extraNames);
  const min = bound(minRaw, field, entry);
  const max = bound(maxRaw, field, entry);
  if (min !== undefined && max !== undefined && min > max) {
    throw new InputError(
      'experiments',
      field,
      `${JSON.stringify(entry)}: min ${min} is above max ${max}`,
      METRIC_RANGE_SYNTAX,
    );
  }
  return [name, { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }];
}

/** Comma-separated entries (or several flag values) → metric name → range, without a prototype. */
export function parseMetricRanges(
  values: string | readonly string[],
  field: string,
  extraNames: readonly string[] = [],
): Record<string, NumberRange> {
  const out = Object.create(null) as Record<string, NumberRange>;
  for (const value of typeof values === 'string' ? [values] : values) {
    for (const entry of value.split(',')) {
      if (entry.trim() === '') continue;
      const [name, range] = parseMetricRangeEntry(entry, field, extraNames);
      out[name] = range;
    }
  }
  return out;
}
