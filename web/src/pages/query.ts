/**
 * Query page: topologies filtered by parameter and metric ranges, the named queries, and — when
 * the store is Neo4j — a read-only Cypher console (the server runs it in a READ session).
 */
import { api, ApiError, qs, type NamedQuery, type TopologyRecord } from '../api.js';
import { h, showError, fmtPct } from '../dom.js';
import type { Page } from './page.js';
import { writeHashParams } from '../url-state.js';
import { formatTopologyOrder, parseTopologyOrder, topologyTable, type TopologyOrder } from './topology-table.js';
import type { RunSummary } from '../../../src/experiments/summarise/run-summary.js';

const METRIC_ROWS = 3;
const MODES = ['layered', 'replace', 'add', 'per-connection', 'no-intralayer'];

/** A number typed in a field, or a readable message naming the field. */
function parseField(label: string, text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const x = Number(text);
  if (!Number.isFinite(x)) throw new Error(`${label}: '${text}' is not a number`);
  return x;
}

/** Each result's runs (a link to the run table filtered to the topology) and their best errors. */
function runsCell(t: TopologyRecord, runs: readonly RunSummary[]): (Node | string)[] {
  const mine = runs.filter((r) => r.topologyId === t.id);
  const best = (pick: (r: RunSummary) => number | null) => {
    const values = mine.map(pick).filter((x): x is number => x !== null);
    return values.length ? Math.min(...values) : null;
  };
  const explore = h('a', { href: `#/explorer/${encodeURIComponent(t.id)}`, class: 'button' }, 'Explore');
  if (mine.length === 0) return [explore, h('span', { class: 'muted' }, 'no runs')];
  const errors = `best train ${fmtPct(best((r) => r.trainError))}, eval ${fmtPct(best((r) => r.evalError))}`;
  return [
    explore,
    h(
      'a',
      { href: `#/runs?q=${encodeURIComponent(t.id)}`, 'data-testid': 'result-runs' },
      `${mine.length} run${mine.length === 1 ? '' : 's'}`,
    ),
    h('span', { 'data-testid': 'result-errors' }, ` · ${errors}`),
  ];
}

export const renderQuery: Page = (root, _args, params, info) => {
  const results = h('div', { 'data-testid': 'query-results' });
  const failure = h('p', { class: 'error', 'data-testid': 'query-error', hidden: true });
  const metricNames = h('datalist', { id: 'metric-names' });
  let order: TopologyOrder = parseTopologyOrder(params.get('sort'));
  const field = (name: string, size: number, placeholder = '') => {
    const input = h('input', { name, size, placeholder });
    input.value = params.get(name) ?? '';
    return input;
  };
  const metricRow = (i: number) =>
    h(
      'div',
      { class: 'row' },
      h(
        'label',
        {},
        'metric ',
        h('input', {
          name: `metric${i}`,
          size: 10,
          list: 'metric-names',
          placeholder: i === 0 ? 'type to search, e.g. L' : '',
          value: params.get(`metric${i}`) ?? '',
          'data-testid': `query-metric${i}`,
        }),
      ),
      h('label', {}, 'min ', field(`min${i}`, 6)),
      h('label', {}, 'max ', field(`max${i}`, 6)),
    );
  const mode = h(
    'select',
    { name: 'mode' },
    h('option', { value: '' }, 'any'),
    ...MODES.map((m) => h('option', { value: m }, m)),
  );
  mode.value = params.get('mode') ?? '';
  const form = h(
    'form',
    { class: 'card', 'data-testid': 'filter-form' },
    h('h2', {}, 'Filter topologies'),
    h(
      'div',
      { class: 'row' },
      h('label', {}, 'mode ', mode),
      h('label', {}, 'sizes ', field('sizes', 16, '784,500,500,500,10')),
      // p is shown in % everywhere (tables, plots), so it is typed in % here too.
      h('label', {}, 'p from ', field('pMin', 6, '%'), ' %'),
      h('label', {}, 'to ', field('pMax', 6, '%'), ' %'),
    ),
    ...Array.from({ length: METRIC_ROWS }, (_, i) => metricRow(i)),
    metricNames,
    h(
      'p',
      { class: 'muted' },
      "p in percent (7.56 for the paper's network). Metric names as the topology layer computes " +
        'them — the field suggests the stored ones: L (path length), C (clustering), sigma, omega, …',
    ),
    h('button', { type: 'submit' }, 'Filter'),
  );

  /** A failed query: say why, and clear the previous results so they are not read as this query's. */
  function fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    // The API names what it accepts (for an unknown metric: every valid name); say it when the message does not.
    const expected =
      e instanceof ApiError && e.expected && !message.includes(e.expected) ? ` (expected ${e.expected})` : '';
    failure.textContent = message + expected;
    failure.hidden = false;
    results.replaceChildren();
  }

  async function runFilter(): Promise<void> {
    failure.hidden = true;
    const v = Object.fromEntries([...new FormData(form)].map(([k, x]) => [k, String(x).trim()]));
    writeHashParams({ ...v, sort: formatTopologyOrder(order) });
    let query: Record<string, string | number | undefined>;
    try {
      const pMin = parseField('p from', v.pMin!);
      const pMax = parseField('p to', v.pMax!);
      const where = Array.from({ length: METRIC_ROWS }, (_, i) => i)
        .filter((i) => v[`metric${i}`])
        .map((i) => {
          const name = v[`metric${i}`]!; // an unknown name is the API's 400, which lists the valid ones
          parseField(`metric ${name} min`, v[`min${i}`]!);
          parseField(`metric ${name} max`, v[`max${i}`]!);
          return `${name}:${v[`min${i}`] ?? ''}:${v[`max${i}`] ?? ''}`;
        })
        .join(',');
      query = {
        mode: v.mode,
        sizes: v.sizes,
        pMin: pMin === undefined ? undefined : pMin / 100,
        pMax: pMax === undefined ? undefined : pMax / 100,
        where: where || undefined,
      };
    } catch (e) {
      return fail(e);
    }
    const [rows, runs] = await Promise.all([
      api<TopologyRecord[]>(`/api/topologies${qs(query)}`),
      api<RunSummary[]>('/api/runs/summaries?limit=1000'),
    ]);
    const draw = () =>
      results.replaceChildren(
        h('h3', {}, `${rows.length} topologies`),
        topologyTable(rows, (t) => runsCell(t, runs), {
          order,
          onSort: (next) => {
            order = next;
            writeHashParams({ sort: formatTopologyOrder(order) });
            draw();
          },
        }),
      );
    draw();
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    runFilter().catch(fail);
  });

  const named = h('div', { class: 'row', 'data-testid': 'named-queries' });
  api<NamedQuery[]>('/api/queries')
    .then((queries) => {
      named.replaceChildren(
        ...queries.map((q) =>
          h(
            'button',
            {
              title: q.description,
              onclick: () => {
                api<{ query: NamedQuery; topologies: TopologyRecord[] }>(`/api/queries/${q.name}`)
                  .then((r) =>
                    results.replaceChildren(
                      h('h3', {}, `${r.query.title}: ${r.topologies.length} topologies`),
                      h('p', { class: 'muted' }, r.query.description),
                      topologyTable(r.topologies, (t) => [
                        h('a', { href: `#/explorer/${encodeURIComponent(t.id)}`, class: 'button' }, 'Explore'),
                      ]),
                    ),
                  )
                  .catch(fail);
              },
            },
            q.title,
          ),
        ),
      );
    })
    .catch(showError);

  api<string[]>('/api/topologies/metric-names')
    .then((names) => {
      metricNames.replaceChildren(...names.map((n) => h('option', { value: n })));
      // A shared query URL runs as soon as the page knows the metric names.
      if ([...params.keys()].some((k) => k !== 'sort')) runFilter().catch(fail);
    })
    .catch(showError);

  root.append(
    form,
    failure,
    h('section', { class: 'card' }, h('h2', {}, 'Named queries'), named),
    h('section', { class: 'card' }, results),
    cypherConsole(info.cypher, info.store.kind),
  );
  return undefined; // no stream or renderer to stop when the page changes
};

function cypherConsole(enabled: boolean, storeKind: string): HTMLElement {
  if (!enabled) {
    return h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Cypher console'),
      h(
        'p',
        { class: 'muted' },
        `Available when the server uses the Neo4j store (this one uses ${storeKind}; start with EQPROP_STORE=neo4j).`,
      ),
    );
  }
  const text = h('textarea', { rows: 5, cols: 90, 'data-testid': 'cypher-query' });
  text.value = 'MATCH (t:Topology) RETURN t.id AS id, t.mode AS mode, t.p AS p LIMIT 25';
  const out = h('div', { 'data-testid': 'cypher-results' });
  const run = h(
    'button',
    {
      onclick: () => {
        api<{ columns: string[]; rows: unknown[][]; truncated: boolean; elapsedMs: number }>('/api/cypher', {
          body: { query: text.value },
        })
          .then((r) =>
            out.replaceChildren(
              h(
                'p',
                { class: 'muted' },
                `${r.rows.length} rows${r.truncated ? ' (truncated)' : ''} in ${r.elapsedMs.toFixed(0)} ms`,
              ),
              h(
                'table',
                { class: 'data' },
                h('tr', {}, ...r.columns.map((c) => h('th', {}, c))),
                ...r.rows.map((row) =>
                  h(
                    'tr',
                    {},
                    ...row.map((cell) =>
                      h('td', { class: 'mono' }, typeof cell === 'object' ? JSON.stringify(cell) : String(cell)),
                    ),
                  ),
                ),
              ),
            ),
          )
          .catch(showError);
      },
    },
    'Run (read-only)',
  );
  return h('section', { class: 'card' }, h('h2', {}, 'Cypher console (read-only)'), text, h('div', {}, run), out);
}
