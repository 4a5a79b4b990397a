/**
 * How topologies read in dropdowns: the name when it has one, then always the spec (sizes, mode,
 * p with 4 significant digits, n, seed), so two CLI-made topologies never read the same
 * (`topo-784…` prefixes of deterministic ids all look alike). Options sort by sizes, then p numerically.
 */
import type { TopologyRecord } from './api.js';
import { formatP } from '../../src/experiments/summarise/run-summary.js';

export function topologySpecText(t: TopologyRecord): string {
  const s = t.spec;
  const amount = s.mode === 'layered' ? '' : ` p ${formatP(s.mode, s.p)} (n ${s.n.toLocaleString('en-US')})`;
  return `${s.sizes.join('-')} ${s.mode}${amount}, seed ${s.seed}`;
}

export function topologyOptionLabel(t: TopologyRecord): string {
  return t.name ? `${t.name} — ${topologySpecText(t)}` : topologySpecText(t);
}

export function byTopologySpec(a: TopologyRecord, b: TopologyRecord): number {
  const sizes = a.spec.sizes.join(',').localeCompare(b.spec.sizes.join(','), undefined, { numeric: true });
  const pOf = (t: TopologyRecord) => (t.spec.mode === 'layered' ? -1 : t.spec.p);
  return sizes || pOf(a) - pOf(b) || a.spec.seed - b.spec.seed || a.id.localeCompare(b.id);
}
