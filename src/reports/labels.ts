/** Human names for runs in legends: what the paper's figures call the three networks. */
import type { RunConfig } from '../experiments/plan/run-config.js';
import type { ResolvedSpec } from '../../graph/index.js';
import { describeBeyondPaper } from '../experiments/plan/beyond-paper.js';
import { datasetOfStored } from '../experiments/summarise/error-kind.js';

export function topologyLabel(spec: ResolvedSpec): string {
  if (spec.mode === 'layered') return 'layered';
  // p = 0 is Algorithm 1 before any rewiring: intralayer edges added, no layer-skipping yet.
  if (spec.p === 0) return 'intralayer-connected, no skips (p = 0)';
  const p = `p = ${formatPercent(spec.p)}`;
  return spec.mode === 'replace' ? `layer-skipping, ${p}` : `${spec.mode}, ${p}`;
}

export function ratesLabel(config: RunConfig): string {
  return config.train.learningRates.length > 1 ? 'per-layer rates' : `one rate ${config.train.learningRates[0]}`;
}

/**
 * The network, its rates, and any option beyond the paper it trained with (runs differ by them);
 * runs on a dataset other than the paper's MNIST are prefixed with it and their depth (the journal
 * version trains two depths per dataset), e.g. "wine, 5 hidden: layered, one rate 0.01".
 */
export function runLabel(spec: ResolvedSpec, config: RunConfig): string {
  const options = describeBeyondPaper(config.train);
  const label = [topologyLabel(spec), ratesLabel(config), ...options].join(', ');
  const dataset = datasetOfStored(config);
  return dataset === 'mnist' ? label : `${dataset}, ${spec.sizes.length - 2} hidden: ${label}`;
}

/**
 * Legend order for network labels: p numerically (0, 1, 5, 10 %, not 0, 1, 10, 5 % as text sorts
 * them), labels without a p (layered) first. Reads the p that topologyLabel wrote.
 */
export function labelsByP(labels: Iterable<string>): string[] {
  const pOf = (label: string) => {
    if (label.includes('(p = 0)')) return 0;
    const m = /p = ([\d.e+-]+)%/.exec(label);
    return m ? Number(m[1]) : -1;
  };
  return [...new Set(labels)].sort((a, b) => pOf(a) - pOf(b) || a.localeCompare(b));
}

export function formatPercent(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}
