/**
 * What differs between runs' configurations: each run's topology and training configuration
 * flattened to dotted keys (train.learningRates, data.train, topology.p, …), then only the keys
 * whose values are not all equal. Used by `eqprop runs compare` and the web comparison view.
 */
import type { RunRecord } from '../../store/contract.js';
import { formatP, type RunSummary } from './run-summary.js';

export type FlatConfig = Record<string, string>;

function flattenInto(out: FlatConfig, prefix: string, value: unknown): void {
  if (value === null || value === undefined) {
    out[prefix] = '-';
  } else if (Array.isArray(value)) {
    out[prefix] = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flattenInto(out, prefix ? `${prefix}.${k}` : k, v);
    }
  } else {
    out[prefix] = String(value);
  }
}

/**
 * The comparable configuration of one run. The topology is described by what it is (sizes, mode,
 * p, n, seed from its record), not by how the run named it (a stored id or an inline spec), so
 * two runs on equal topologies show no difference.
 */
export function flatConfig(run: RunRecord, summary: RunSummary): FlatConfig {
  const out: FlatConfig = {};
  flattenInto(out, 'topology', {
    id: summary.topologyId,
    sizes: summary.sizes,
    mode: summary.mode,
    p: formatP(summary.mode, summary.p),
    n: summary.mode === 'layered' ? null : summary.n,
    seed: summary.topologySeed,
  });
  const { topology: _source, format: _format, ...rest } = run.config as Record<string, unknown>;
  flattenInto(out, '', rest);
  out.sweep = run.sweepId ?? '-';
  return out;
}

export interface ConfigDifference {
  key: string;
  /** One value per run, in the order given; '-' where a run lacks the key. */
  values: string[];
}

export function configDifferences(configs: FlatConfig[]): ConfigDifference[] {
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))].sort();
  return keys
    .map((key) => ({ key, values: configs.map((c) => c[key] ?? '-') }))
    .filter((d) => d.values.some((v) => v !== d.values[0]));
}
