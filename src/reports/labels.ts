/** Human names for runs in legends: what the paper's figures call the three networks. */
import type { RunConfig } from '../experiments/run-config.js';
import type { ResolvedSpec } from '../../graph/types.js';

export function topologyLabel(spec: ResolvedSpec): string {
  if (spec.mode === 'layered') return 'layered';
  const p = `p = ${formatPercent(spec.p)}`;
  return spec.mode === 'replace' ? `layer-skipping, ${p}` : `${spec.mode}, ${p}`;
}

export function ratesLabel(config: RunConfig): string {
  return config.train.learningRates.length > 1 ? 'per-layer rates' : `one rate ${config.train.learningRates[0]}`;
}

export function runLabel(spec: ResolvedSpec, config: RunConfig): string {
  return `${topologyLabel(spec)}, ${ratesLabel(config)}`;
}

export function formatPercent(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
