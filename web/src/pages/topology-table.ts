/** A table of topology records, shared by the topologies and query pages. */
import type { TopologyRecord } from '../api.js';
import { h, fmtNum, fmtPct, shortId } from '../dom.js';

export const HEADLINE_METRICS = ['L', 'C', 'diameter', 'sigma'];

export function topologyTable(rows: TopologyRecord[], actions: (t: TopologyRecord) => (Node | string)[] = () => []): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'No topologies match.');
  return h('table', { class: 'data', 'data-testid': 'topology-table' },
    h('thead', {}, h('tr', {}, ...['name', 'id', 'sizes', 'mode', 'p', 'n', 'neurons', 'adjacent', 'intralayer', 'skip', ...HEADLINE_METRICS, ''].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((t) => h('tr', { 'data-id': t.id },
      h('td', {}, t.name ?? ''),
      h('td', { class: 'mono', title: t.id }, shortId(t.id)),
      h('td', {}, t.spec.sizes.join('-')),
      h('td', {}, t.spec.mode),
      h('td', {}, fmtPct(t.spec.p, 3)),
      h('td', {}, fmtNum(t.spec.n, 1)),
      h('td', {}, fmtNum(t.N)),
      h('td', {}, fmtNum(t.counts.adjacent)),
      h('td', {}, fmtNum(t.counts.intralayer)),
      h('td', {}, fmtNum(t.counts.skip)),
      ...HEADLINE_METRICS.map((m) => h('td', {}, fmtNum(t.metrics[m]))),
      h('td', { class: 'actions' }, ...actions(t)),
    ))),
  );
}
