/**
 * Predictors page: which statistic predicts the error. The ranked table of GET /api/predictors
 * (sortable), and for the selected metric a scatter with one point per topology configuration
 * (seed mean, error bar = sd across seeds), coloured by family, one panel per architecture.
 * Clicking a point lists its runs (each links to the run and to its topology in the explorer).
 * The page's state (sweep, outcome, metric, configuration) lives in the URL.
 */
import embed, { type Result } from 'vega-embed';
import { api, qs, type SweepRecord } from '../api.js';
import { h, fmtNum, showError } from '../dom.js';
import type { Page } from './page.js';
import type { Configuration, PredictorRow, PredictorTable } from '../../../src/stats/index.js';

type SortKey = 'metric' | 'n' | 'spearman' | 'pearson' | 'partialSpearman' | 'cvR2';
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'metric', label: 'metric' },
  { key: 'n', label: 'n' },
  { key: 'spearman', label: 'Spearman [95 % CI]' },
  { key: 'pearson', label: 'Pearson' },
  { key: 'partialSpearman', label: 'partial ρ' },
  { key: 'cvR2', label: 'CV R²' },
];
const OUTCOME_LABELS: Record<string, string> = {
  trainError: 'training error',
  evalError: 'held-out error',
  testError: 'test error',
};

function writeUrl(state: Record<string, string | undefined>): void {
  const params = new URLSearchParams(
    Object.entries(state).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  history.replaceState(null, '', `#/predictors?${params}`);
}

function sortRows(rows: PredictorRow[], key: SortKey, descending: boolean): PredictorRow[] {
  const value = (r: PredictorRow) =>
    key === 'metric' ? r.metric : key === 'n' ? r.n : r[key] === null ? null : Math.abs(r[key] as number);
  return [...rows].sort((a, b) => {
    const va = value(a),
      vb = value(b);
    if (va === null) return 1;
    if (vb === null) return -1;
    const order = va < vb ? -1 : va > vb ? 1 : 0;
    return descending ? -order : order;
  });
}

function scatterSpec(configs: Configuration[], metric: string, outcome: string): object {
  const values = configs
    .filter((c) => c.metrics[metric] !== undefined && c.outcomes[outcome] !== undefined)
    .map((c) => {
      const o = c.outcomes[outcome];
      return {
        key: c.key,
        family: c.family,
        architecture: c.sizes.join('-'),
        x: c.metrics[metric],
        y: o.mean,
        low: o.mean - (o.sd ?? 0),
        high: o.mean + (o.sd ?? 0),
        seeds: o.n,
      };
    });
  const x = { field: 'x', type: 'quantitative', title: metric, scale: { zero: false } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: { column: { field: 'architecture', type: 'nominal', title: 'architecture' } },
    spec: {
      width: 420,
      height: 300,
      layer: [
        {
          mark: { type: 'rule' },
          encoding: {
            x,
            y: { field: 'low', type: 'quantitative' },
            y2: { field: 'high' },
            color: { field: 'family', type: 'nominal' },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 80, cursor: 'pointer' },
          encoding: {
            x,
            y: {
              field: 'y',
              type: 'quantitative',
              title: `${OUTCOME_LABELS[outcome] ?? outcome} (seed mean ± sd)`,
              scale: { zero: false },
            },
            color: { field: 'family', type: 'nominal', title: 'family' },
            tooltip: [
              { field: 'key', title: 'configuration' },
              { field: 'x', title: metric, format: '.4~g' },
              { field: 'y', title: outcome, format: '.4f' },
              { field: 'seeds', title: 'seeds' },
            ],
          },
        },
      ],
    },
  };
}

function groupPanel(config: Configuration | undefined): HTMLElement {
  if (!config) return h('div', { 'data-testid': 'predictor-group' });
  return h(
    'div',
    { class: 'card', 'data-testid': 'predictor-group' },
    h('h3', {}, `Runs of ${config.key}`),
    h(
      'ul',
      {},
      ...config.runs.map((run, i) =>
        h(
          'li',
          {},
          h('a', { href: `#/runs/${encodeURIComponent(run)}` }, run),
          ' · seed ',
          String(config.seeds[i]),
          ' · ',
          h('a', { href: `#/explorer/${encodeURIComponent(config.topologies[i])}` }, 'topology in the explorer'),
        ),
      ),
    ),
  );
}

export const renderPredictors: Page = (root, _args, params) => {
  const state = {
    sweep: params.get('sweep') ?? undefined,
    outcome: params.get('outcome') ?? 'trainError',
    metric: params.get('metric') ?? undefined,
    config: params.get('config') ?? undefined,
  };
  let sort: { key: SortKey; descending: boolean } = { key: 'spearman', descending: true };
  let doc: PredictorTable | null = null;
  let view: Result | null = null;
  const sweepSelect = h(
    'select',
    { name: 'sweep', 'data-testid': 'predictor-sweep' },
    h('option', { value: '' }, 'choose a sweep or study'),
  );
  const outcomeSelect = h(
    'select',
    { name: 'outcome', 'data-testid': 'predictor-outcome' },
    ...Object.entries(OUTCOME_LABELS).map(([value, label]) => h('option', { value }, label)),
  );
  outcomeSelect.value = state.outcome;
  const summary = h('p', { class: 'muted', 'data-testid': 'predictor-summary' });
  const table = h('div', { 'data-testid': 'predictor-table' });
  const plot = h('div', { 'data-testid': 'predictor-plot' });
  const group = h('div');
  root.append(
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Which statistic predicts the error?'),
      h('div', { class: 'row' }, h('label', {}, 'sweep ', sweepSelect), h('label', {}, 'outcome ', outcomeSelect)),
      summary,
    ),
    h('div', { class: 'card' }, table),
    h('div', { class: 'card' }, plot),
    group,
  );

  const drawGroup = () => group.replaceChildren(groupPanel(doc?.configurations.find((c) => c.key === state.config)));
  const drawPlot = async () => {
    view?.finalize();
    view = null;
    if (!doc || !state.metric) return void plot.replaceChildren('Click a metric in the table to plot it.');
    plot.replaceChildren();
    view = await embed(plot, scatterSpec(doc.configurations, state.metric, state.outcome) as never, {
      actions: false,
      renderer: 'svg',
    });
    plot.dataset.points = String(doc.configurations.filter((c) => c.metrics[state.metric!] !== undefined).length);
    view.view.addEventListener('click', (_event, item) => {
      const key = (item as { datum?: { key?: string } } | null)?.datum?.key;
      if (!key) return;
      state.config = key;
      writeUrl(state);
      drawGroup();
    });
  };
  const drawTable = () => {
    if (!doc) return;
    const rows = sortRows(
      doc.rows.filter((r) => r.outcome === state.outcome),
      sort.key,
      sort.descending,
    );
    const header = h(
      'tr',
      {},
      ...COLUMNS.map((c) => {
        const th = h(
          'th',
          { class: 'sortable', 'data-sort': c.key },
          c.label + (sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''),
        );
        th.addEventListener('click', () => {
          sort = { key: c.key, descending: sort.key === c.key ? !sort.descending : c.key !== 'metric' };
          drawTable();
        });
        return th;
      }),
      h('th', {}, 'left out'),
    );
    const body = rows.map((r) => {
      const tr = h(
        'tr',
        { class: r.metric === state.metric ? 'selected' : '', 'data-metric': r.metric },
        h('td', {}, r.metric, r.kind === 'dynamics' ? ' (training dynamics)' : ''),
        h('td', {}, String(r.n)),
        h(
          'td',
          {},
          r.spearman === null
            ? 'undefined'
            : `${fmtNum(r.spearman, 2)} [${fmtNum(r.spearmanLow, 2)}, ${fmtNum(r.spearmanHigh, 2)}]`,
        ),
        h('td', {}, r.pearson === null ? 'undefined' : fmtNum(r.pearson, 2)),
        h('td', {}, r.partialSpearman === null ? 'undefined' : fmtNum(r.partialSpearman, 2)),
        h('td', {}, r.cvR2 === null ? 'undefined' : fmtNum(r.cvR2, 2)),
        h('td', { title: r.leftOut.join('\n') }, r.leftOut.length === 0 ? '' : `${r.leftOut.length}`),
      );
      tr.addEventListener('click', () => {
        state.metric = r.metric;
        writeUrl(state);
        drawTable();
        void drawPlot().catch(showError);
      });
      return tr;
    });
    table.replaceChildren(h('table', { class: 'table' }, h('thead', {}, header), h('tbody', {}, ...body)));
  };
  const load = async () => {
    doc = null;
    table.replaceChildren();
    plot.replaceChildren();
    group.replaceChildren();
    if (!state.sweep)
      return void summary.replaceChildren(
        'Choose a sweep or study: the ranking needs runs of several topology configurations.',
      );
    summary.replaceChildren('computing…');
    doc = await api<PredictorTable>(`/api/predictors${qs({ sweep: state.sweep })}`);
    summary.replaceChildren(
      `${doc.runs} runs, ${doc.topologies} topologies, ${doc.configurations.length} configurations (seed means). ` +
        `Partial ρ controls for ${doc.control}; CV R² leaves one family out. ` +
        'Undefined: the metric is constant or missing.',
    );
    drawTable();
    drawGroup();
    await drawPlot();
  };
  sweepSelect.addEventListener('change', () => {
    Object.assign(state, { sweep: sweepSelect.value || undefined, metric: undefined, config: undefined });
    writeUrl(state);
    load().catch(showError);
  });
  outcomeSelect.addEventListener('change', () => {
    state.outcome = outcomeSelect.value;
    writeUrl(state);
    drawTable();
    drawPlot().catch(showError);
  });
  api<SweepRecord[]>('/api/sweeps')
    .then((sweeps) => {
      sweepSelect.append(...sweeps.map((s) => h('option', { value: s.id }, s.name ?? s.id)));
      if (state.sweep) sweepSelect.value = state.sweep;
      return load();
    })
    .catch(showError);
  return () => view?.finalize();
};
