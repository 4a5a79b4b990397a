/**
 * Any graph metric against any outcome, with Pearson's r and Spearman's ρ, per group. Clicking a
 * point opens its run. The choices live in the URL (xsweep, x, y, xk, group). Hidden until a run exists.
 */
import { api, qs, type CorrelationRow, type SweepRecord } from '../api.js';
import { h, showError } from '../dom.js';
import { showPlot, clearPlot } from '../plots.js';
import { writeHashParams } from '../url-state.js';
import { metricScatterSpec, type ScatterPoint } from '../../../src/reports/specs.js';
import { correlate, describeCorrelation } from '../../../src/reports/statistics.js';

const OUTCOMES: Record<string, (r: CorrelationRow) => number | null> = {
  'final training error': (r) => r.finalTrainError,
  'final evaluation error': (r) => r.finalEvalError,
  'training error after epoch k': (r) => r.trainErrorAt,
  'evaluation error after epoch k': (r) => r.evalErrorAt,
};

export function scatterSectionElement(params: URLSearchParams): { element: HTMLElement; refresh: () => Promise<void> } {
  const sweep = h('select', { 'data-testid': 'scatter-sweep' }, h('option', { value: '' }, 'all runs'));
  const metric = h('select', { 'data-testid': 'scatter-metric' });
  const outcome = h(
    'select',
    { 'data-testid': 'scatter-outcome' },
    ...Object.keys(OUTCOMES).map((o) => h('option', { value: o }, o)),
  );
  const epoch = h('input', { type: 'number', min: 1, value: params.get('xk') ?? 1, style: 'width:4em' });
  // Pooling architectures lets one outlier architecture make r; the default compares like with like.
  const groupBy = h(
    'select',
    { 'data-testid': 'scatter-group' },
    h('option', { value: 'architecture' }, 'layer sizes and mode'),
    h('option', { value: 'none' }, 'nothing (pool all runs)'),
  );
  const plot = h('div', { class: 'plot', 'data-testid': 'scatter-plot' });
  const stats = h('div', { 'data-testid': 'scatter-stats' });
  if (params.get('y') && params.get('y')! in OUTCOMES) outcome.value = params.get('y')!;
  if (params.get('group') === 'none') groupBy.value = 'none';
  const element = h(
    'section',
    { class: 'card', 'data-testid': 'scatter-section', hidden: true },
    h('h2', {}, 'Metric against outcome'),
    h(
      'div',
      { class: 'row' },
      h('label', {}, 'runs ', sweep),
      h('label', {}, 'metric ', metric),
      h('label', {}, 'outcome ', outcome),
      h('label', {}, 'k = ', epoch),
      h('label', {}, 'group by ', groupBy),
    ),
    stats,
    plot,
  );
  let rows: CorrelationRow[] = [];

  async function load(): Promise<void> {
    rows = await api<CorrelationRow[]>(
      `/api/correlations${qs({ sweepId: sweep.value || undefined, epoch: Number(epoch.value) || 1 })}`,
    );
    const names = new Set<string>(['p', 'n']);
    for (const r of rows) for (const k of Object.keys(r.metrics)) names.add(k);
    // Nothing to plot before the first run: the card waits until there is.
    element.hidden = rows.length === 0;
    const current = metric.value || params.get('x');
    metric.replaceChildren(...[...names].map((n) => h('option', { value: n }, n)));
    metric.value = current && names.has(current) ? current : names.has('L') ? 'L' : 'p';
    await draw();
  }
  async function draw(): Promise<void> {
    const m = metric.value;
    const xOf = (r: CorrelationRow) => (m === 'p' ? r.spec.p : m === 'n' ? r.spec.n : (r.metrics[m] ?? null));
    const yOf = OUTCOMES[outcome.value]!;
    const c = correlate(rows.map(xOf), rows.map(yOf));
    const groupOf = (r: CorrelationRow) =>
      groupBy.value === 'none' ? 'all runs' : `${r.spec.sizes.join('-')} ${r.spec.mode}`;
    const points: ScatterPoint[] = rows.flatMap((r) => {
      const x = xOf(r);
      const y = yOf(r);
      const both = x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y);
      return both ? [{ runId: r.runId, x, y, group: groupOf(r) }] : [];
    });
    // Coefficients per group (one colour each), so r never mixes architectures unless asked to.
    const groups = [...new Set(rows.map(groupOf))].sort();
    const lines = groups.map((g) => {
      const members = rows.filter((r) => groupOf(r) === g);
      return `${g}: ${describeCorrelation(correlate(members.map(xOf), members.map(yOf)))}`;
    });
    const shown = lines.length ? lines : [describeCorrelation(c)];
    stats.replaceChildren(...shown.map((l) => h('p', { class: 'stat-line' }, l)));
    if (points.length === 0) return clearPlot(plot, 'No run has both values yet.');
    const subtitle =
      groupBy.value === 'none' || groups.length === 1
        ? undefined
        : `${groups.length} groups: coefficients per group above the plot`;
    // A point is a run: clicking it opens the run's own view.
    await showPlot(plot, metricScatterSpec(points, m, outcome.value, c, { subtitle }), points.length, (datum) => {
      if (typeof datum.runId === 'string') location.hash = `#/runs/${encodeURIComponent(datum.runId)}`;
    });
  }
  async function refresh(): Promise<void> {
    const sweeps = await api<SweepRecord[]>('/api/sweeps');
    const current = sweep.value || params.get('xsweep') || '';
    sweep.replaceChildren(
      h('option', { value: '' }, 'all runs'),
      ...sweeps.map((s) => h('option', { value: s.id }, s.name ?? s.id.slice(0, 8))),
    );
    sweep.value = current;
    await load();
  }
  const remember = () =>
    writeHashParams({
      xsweep: sweep.value,
      x: metric.value,
      y: outcome.value === Object.keys(OUTCOMES)[0] ? null : outcome.value,
      xk: epoch.value === '1' ? null : epoch.value,
      group: groupBy.value === 'none' ? 'none' : null,
    });
  sweep.addEventListener('change', () => {
    remember();
    void load().catch(showError);
  });
  epoch.addEventListener('change', () => {
    remember();
    void load().catch(showError);
  });
  metric.addEventListener('change', () => {
    remember();
    void draw().catch(showError);
  });
  outcome.addEventListener('change', () => {
    remember();
    void draw().catch(showError);
  });
  groupBy.addEventListener('change', () => {
    remember();
    void draw().catch(showError);
  });
  refresh().catch(showError);
  return { element, refresh };
}
