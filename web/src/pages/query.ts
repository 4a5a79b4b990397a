/**
 * Query page: topologies filtered by parameter and metric ranges, the named queries, and — when
 * the store is Neo4j — a read-only Cypher console (the server runs it in a READ session).
 */
import { api, qs, type NamedQuery, type TopologyRecord } from '../api.js';
import { h, formValues, showError } from '../dom.js';
import type { Page } from '../main.js';
import { topologyTable } from './topology-table.js';

const METRIC_ROWS = 3;

const exploreLink = (t: TopologyRecord) => [h('a', { href: `#/explorer/${encodeURIComponent(t.id)}`, class: 'button' }, 'Explore')];

export const renderQuery: Page = (root, _args, _params, info) => {
  const results = h('div', { 'data-testid': 'query-results' });
  const metricRow = (i: number) => h('div', { class: 'row' },
    h('label', {}, 'metric ', h('input', { name: `metric${i}`, size: 8, placeholder: i === 0 ? 'L' : '' })),
    h('label', {}, 'min ', h('input', { name: `min${i}`, size: 6 })),
    h('label', {}, 'max ', h('input', { name: `max${i}`, size: 6 })));
  const form = h('form', { class: 'card', 'data-testid': 'filter-form' },
    h('h2', {}, 'Filter topologies'),
    h('div', { class: 'row' },
      h('label', {}, 'mode ', h('select', { name: 'mode' }, h('option', { value: '' }, 'any'), ...['layered', 'replace', 'add', 'per-connection'].map((m) => h('option', { value: m }, m)))),
      h('label', {}, 'sizes ', h('input', { name: 'sizes', size: 16, placeholder: '784,500,500,500,10' })),
      h('label', {}, 'p from ', h('input', { name: 'pMin', size: 6 })),
      h('label', {}, 'to ', h('input', { name: 'pMax', size: 6 }))),
    ...Array.from({ length: METRIC_ROWS }, (_, i) => metricRow(i)),
    h('p', { class: 'muted' }, 'Metric names as computed by the topology layer, e.g. L (path length), C (clustering), sigma, omega.'),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = formValues(form);
    const where = Array.from({ length: METRIC_ROWS }, (_, i) => i).filter((i) => v[`metric${i}`]).map((i) => `${v[`metric${i}`]}:${v[`min${i}`] ?? ''}:${v[`max${i}`] ?? ''}`).join(',');
    api<TopologyRecord[]>(`/api/topologies${qs({ mode: v.mode, sizes: v.sizes, pMin: v.pMin, pMax: v.pMax, where: where || undefined })}`)
      .then((rows) => results.replaceChildren(h('h3', {}, `${rows.length} topologies`), topologyTable(rows, exploreLink)))
      .catch(showError);
  });

  const named = h('div', { class: 'row', 'data-testid': 'named-queries' });
  api<NamedQuery[]>('/api/queries').then((queries) => {
    named.replaceChildren(...queries.map((q) => h('button', { title: q.description, onclick: () => {
      api<{ query: NamedQuery; topologies: TopologyRecord[] }>(`/api/queries/${q.name}`)
        .then((r) => results.replaceChildren(h('h3', {}, `${r.query.title}: ${r.topologies.length} topologies`), h('p', { class: 'muted' }, r.query.description), topologyTable(r.topologies, exploreLink)))
        .catch(showError);
    } }, q.title)));
  }).catch(showError);

  root.append(form, h('section', { class: 'card' }, h('h2', {}, 'Named queries'), named), h('section', { class: 'card' }, results), cypherConsole(info.cypher, info.store.kind));
};

function cypherConsole(enabled: boolean, storeKind: string): HTMLElement {
  if (!enabled) {
    return h('section', { class: 'card' }, h('h2', {}, 'Cypher console'),
      h('p', { class: 'muted' }, `Available when the server uses the Neo4j store (this one uses ${storeKind}; start with EQPROP_STORE=neo4j).`));
  }
  const text = h('textarea', { rows: 5, cols: 90, 'data-testid': 'cypher-query' });
  text.value = 'MATCH (t:Topology) RETURN t.id AS id, t.mode AS mode, t.p AS p LIMIT 25';
  const out = h('div', { 'data-testid': 'cypher-results' });
  const run = h('button', { onclick: () => {
    api<{ columns: string[]; rows: unknown[][]; truncated: boolean; elapsedMs: number }>('/api/cypher', { body: { query: text.value } })
      .then((r) => out.replaceChildren(
        h('p', { class: 'muted' }, `${r.rows.length} rows${r.truncated ? ' (truncated)' : ''} in ${r.elapsedMs.toFixed(0)} ms`),
        h('table', { class: 'data' }, h('tr', {}, ...r.columns.map((c) => h('th', {}, c))),
          ...r.rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', { class: 'mono' }, typeof cell === 'object' ? JSON.stringify(cell) : String(cell))))))))
      .catch(showError);
  } }, 'Run (read-only)');
  return h('section', { class: 'card' }, h('h2', {}, 'Cypher console (read-only)'), text, h('div', {}, run), out);
}
