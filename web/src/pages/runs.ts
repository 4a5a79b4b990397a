/**
 * Runs page: start runs and sweeps, watch them live, and read the paper's figures from the store —
 * error curves (Fig. 3), per-layer rates with eq. 3 smoothing (Fig. 4), error after epoch k
 * against p (Fig. 5), and any metric against any outcome with Pearson and Spearman.
 */
import { api, qs, type CorrelationRow, type EpochResult, type JobEvent, type JobSummary, type RatePoint, type RunRecord, type SweepRecord, type TopologyRecord } from '../api.js';
import { h, showError, fmtPct, shortId } from '../dom.js';
import { errorKindOf, formatError } from '../../../src/experiments/error-kind.js';
import type { Page } from '../main.js';
import { showPlot, clearPlot } from '../plots.js';
import { runForm, sweepForm } from './run-forms.js';
import { JobsPanel } from './jobs-panel.js';
import { RunTable } from './run-table.js';
import { RunComparison, compareIdsFromUrl, writeCompareToUrl } from './run-compare.js';
import { runOutcomeElement, summaryRates } from './run-outcome.js';
import { rateSwitches, runEpochsElement } from './run-epochs.js';
import {
  errorCurvesSpec, rateSeriesSpec, errorVsPSpec, rateVsPSpec, metricScatterSpec, type ErrorVsPPoint, type RateVsPPoint,
  type ScatterPoint,
} from '../../../src/reports/specs.js';
import { correlate, describeCorrelation } from '../../../src/reports/statistics.js';
import { DEFAULT_SMOOTH, errorPoints, rateAtEpochEnd, smoothedRateSeries } from '../../../src/reports/series.js';

const OUTCOMES: Record<string, (r: CorrelationRow) => number | null> = {
  'final training error': (r) => r.finalTrainError,
  'final evaluation error': (r) => r.finalEvalError,
  'training error after epoch k': (r) => r.trainErrorAt,
  'evaluation error after epoch k': (r) => r.evalErrorAt,
};

export const renderRuns: Page = (root, _args, params) => {
  let selectedRun: string | null = params.get('run');
  const comparison = new RunComparison();
  const table = new RunTable({
    open: (id) => { selectedRun = id; table.highlight(id); void showRun(id); },
    compare: (ids) => { writeCompareToUrl(ids); comparison.show(ids).catch(showError); },
  }, compareIdsFromUrl(params));
  const runTitle = h('h2', {}, 'Run');
  const errorPlot = h('div', { class: 'plot', 'data-testid': 'error-curve' });
  const ratePlot = h('div', { class: 'plot', 'data-testid': 'rate-plot' });
  const outcome = h('div', {});
  const runEpochs = h('div', {});
  const smoothing = h('input', { type: 'range', min: 0, max: 200, value: DEFAULT_SMOOTH, 'data-testid': 'smoothing' });
  const smoothingLabel = h('span', {}, `n = ${DEFAULT_SMOOTH}`);
  const jobs = new JobsPanel(onJobEvent);

  const forms = h('div', { class: 'forms' });
  root.append(
    forms,
    h('section', { class: 'card' }, h('h2', {}, 'Jobs'), jobs.element),
    h('section', { class: 'card' }, h('h2', {}, 'Runs'), table.element),
    comparison.element,
    h('section', { class: 'card' }, runTitle, runEpochs, errorPlot, outcome,
      h('div', { class: 'row' }, h('label', {}, 'eq. 3 smoothing half-width ', smoothing), smoothingLabel), ratePlot),
  );
  const sweepSection = sweepSectionElement();
  const scatterSection = scatterSectionElement();
  root.append(sweepSection.element, scatterSection.element);

  api<TopologyRecord[]>('/api/topologies?limit=500').then((topologies) => {
    forms.replaceChildren(runForm(topologies, params.get('topology'), startedJob), sweepForm(startedJob));
  }).catch(showError);
  jobs.load().catch(showError);
  void refreshRuns();
  if (selectedRun) void showRun(selectedRun);
  comparison.show(compareIdsFromUrl(params)).catch(showError);

  function startedJob(job: JobSummary): void {
    jobs.add(job);
  }

  function onJobEvent(_job: JobSummary, e: JobEvent): void {
    if (e.event === 'run' && typeof e.runId === 'string') {
      selectedRun = e.runId;
      void refreshRuns();
      void showRun(e.runId);
    } else if (e.event === 'epoch') {
      // New errors and epoch counts in the table; the open run's curves when it is this job's.
      void refreshRuns();
      if (selectedRun && _job.runIds.includes(selectedRun)) void showRun(selectedRun);
    } else if (_job.kind === 'sweep' && (e.event === 'sweep' || e.event === 'job')) {
      // A sweep fills in as its runs finish: progress, table rows and Fig. 5 points appear one by one.
      void refreshRuns();
      void sweepSection.refresh(sweepIdOf(_job, e));
    } else if (e.event === 'end') {
      void refreshRuns();
      void sweepSection.refresh(_job.kind === 'sweep' ? sweepIdOf(_job, e) : null);
      void scatterSection.refresh();
      if (selectedRun) void showRun(selectedRun);
    }
  }

  async function refreshRuns(): Promise<void> {
    table.highlight(selectedRun);
    await table.load().catch(showError);
  }

  let rateCache: { run: RunRecord; layers: number; points: RatePoint[]; binWidth: number } | null = null;

  async function showRun(runId: string): Promise<void> {
    try {
      const [run, epochs] = await Promise.all([api<RunRecord>(`/api/runs/${encodeURIComponent(runId)}`), api<EpochResult[]>(`/api/runs/${encodeURIComponent(runId)}/epochs`)]);
      if (runId !== selectedRun) return;
      runTitle.textContent = `Run ${shortId(run.id)} — ${run.status}${run.backend ? ` on ${run.backend}` : ''}`;
      runEpochs.replaceChildren(runEpochsElement(run, epochs));
      const points = errorPoints(shortId(run.id), epochs);
      if (points.length === 0) clearPlot(errorPlot, 'No finished epoch yet.');
      else {
        // A regression run's errors are mean squared errors: its own axis and numbers.
        const errorKind = errorKindOf(run.config);
        const show = (x: number) => (errorKind === 'mse' ? formatError(x, 'mse') : fmtPct(x));
        const last = epochs.at(-1)!;
        const title = `${errorKind === 'mse' ? 'Mean squared error' : 'Error'} against epoch — last: train `
          + `${show(last.trainError)}, eval ${show(last.evalError)}`;
        await showPlot(errorPlot, errorCurvesSpec(points, { title, errorKind }), points.length);
      }
      const topology = await api<TopologyRecord>(`/api/topologies/${encodeURIComponent(run.topologyId)}`);
      const rates = await api<{ binWidth: number; points: RatePoint[] }>(`/api/runs/${encodeURIComponent(runId)}/rates?maxPoints=1500`);
      rateCache = { run, layers: topology.spec.sizes.length, points: rates.points, binWidth: rates.binWidth };
      await drawRates();
      const tail = await summaryRates(run, rates);
      const layers = topology.spec.sizes.length;
      if (runId === selectedRun) outcome.replaceChildren(runOutcomeElement(run, epochs, tail, layers));
    } catch (e) {
      showError(e);
    }
  }

  async function drawRates(): Promise<void> {
    if (!rateCache || rateCache.points.length === 0) return clearPlot(ratePlot, 'No rate series recorded yet.');
    // The server bins long series (binWidth batches per point); the half-width then counts bins.
    const bins = rateCache.binWidth > 1 ? ` (bins of ${rateCache.binWidth} batches)` : '';
    const label = `run ${shortId(rateCache.run.id)}${bins}`;
    const series = smoothedRateSeries(label, rateCache.points, Number(smoothing.value));
    // Add-train-remove: a dashed rule where the skips went (binned points keep batch units).
    const spec = rateSeriesSpec(series, rateCache.layers, { width: 560 }, rateSwitches(rateCache.run, label));
    await showPlot(ratePlot, spec, series.length);
  }
  smoothing.addEventListener('input', () => {
    smoothingLabel.textContent = `n = ${smoothing.value}`;
    void drawRates();
  });

  return () => jobs.stop();
};

/** Fig. 5: a sweep's training error after epoch k against p. */
/** The sweep a job ran: from its run events, or the final summary the sweep CLI prints. */
function sweepIdOf(job: JobSummary, e: JobEvent): string | null {
  return job.sweepId ?? (typeof e.sweepId === 'string' ? e.sweepId : null);
}

function sweepSectionElement(): { element: HTMLElement; refresh: (select?: string | null) => Promise<void> } {
  const select = h('select', { 'data-testid': 'sweep-select' });
  const epoch = h('input', { type: 'number', min: 1, value: 1, style: 'width:4em' });
  const plot = h('div', { class: 'plot', 'data-testid': 'sweep-plot' });
  const ratePlot = h('div', { class: 'plot', 'data-testid': 'sweep-rate-plot' });
  const progress = h('p', { 'data-testid': 'sweep-progress' });
  const element = h('section', { class: 'card' }, h('h2', {}, 'Sweep curves (Fig. 5)'),
    h('div', { class: 'row' }, h('label', {}, 'sweep ', select), h('label', {}, 'after epoch ', epoch)),
    progress, plot, ratePlot);
  async function drawProgress(): Promise<void> {
    const path = `/api/sweeps/${encodeURIComponent(select.value)}`;
    const { sweep, runs } = await api<{ sweep: SweepRecord; runs: RunRecord[] }>(path);
    const c = sweep.config as { values?: unknown[]; seeds?: unknown[]; baseline?: boolean };
    // Runs are filed as they start, so the planned count comes from the definition when it has one.
    const planned = Array.isArray(c.values) && Array.isArray(c.seeds)
      ? (c.values.length + (c.baseline ? 1 : 0)) * c.seeds.length : runs.length;
    const done = runs.filter((r) => r.status === 'done').length;
    const states = ['running', 'queued', 'failed', 'cancelled']
      .map((s) => [s, runs.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
    progress.dataset.done = String(done);
    progress.dataset.planned = String(planned);
    const others = states.length ? ` · ${states.map(([s, n]) => `${n} ${s}`).join(', ')}` : '';
    const waiting = planned > runs.length ? ` · ${planned - runs.length} not started` : '';
    progress.textContent = `${done} of ${planned} runs done${others}${waiting}`;
  }
  async function draw(): Promise<void> {
    if (!select.value) {
      progress.textContent = '';
      return clearPlot(plot, 'No sweeps yet. Start one with the sweep form above (p values, or n values, each a run), '
        + 'or: eqprop sweep --sizes 784,64,10 --p 0,0.05,0.1 --epochs 1.');
    }
    await drawProgress().catch(showError);
    const k = Number(epoch.value) || 1;
    const rows = await api<CorrelationRow[]>(`/api/correlations${qs({ sweepId: select.value, epoch: k })}`);
    const reached = rows.filter((r) => r.trainErrorAt !== null);
    // Layered runs of the sweep (--baseline) are the paper's reference line, not points at p = 0.
    const trainPoints: ErrorVsPPoint[] = reached.filter((r) => r.spec.mode !== 'layered')
      .map((r) => ({ p: r.spec.p, seed: r.spec.seed, split: 'train', error: r.trainErrorAt! }));
    const baselineRuns = reached.filter((r) => r.spec.mode === 'layered');
    const baseline = baselineRuns.length ? baselineRuns.reduce((s, r) => s + r.trainErrorAt!, 0) / baselineRuns.length : null;
    if (trainPoints.length === 0) {
      clearPlot(ratePlot, '');
      return clearPlot(plot, `No run of this sweep has finished epoch ${k} yet.`);
    }
    const swept = reached.filter((r) => r.spec.mode !== 'layered').slice(0, 200);
    // Beside the training error, as `eqprop report` draws it: the held-out error, and the official-test
    // error of the runs that measured it (the paper's open question: does it follow?).
    const evalPoints: ErrorVsPPoint[] = swept.filter((r) => r.evalErrorAt !== null)
      .map((r) => ({ p: r.spec.p, seed: r.spec.seed, split: 'eval', error: r.evalErrorAt! }));
    const testPoints: ErrorVsPPoint[] = (await Promise.all(swept.map(async (row) => {
      const epochs = await api<EpochResult[]>(`/api/runs/${encodeURIComponent(row.runId)}/epochs`);
      const test = epochs.find((e) => e.epoch === k)?.testError;
      return typeof test === 'number'
        ? [{ p: row.spec.p, seed: row.spec.seed, split: 'test' as const, error: test }] : [];
    }))).flat();
    // data-points counts the runs drawn (their training errors), however many splits each has.
    await showPlot(plot, errorVsPSpec([...trainPoints, ...evalPoints, ...testPoints], k, baseline), trainPoints.length);
    // Fig. 5 bottom: each pair's eq. 3 smoothed rate at the end of epoch k, from that epoch's batches only.
    const ratePoints: RateVsPPoint[] = (await Promise.all(swept.map(async (row) => {
      const run = await api<RunRecord>(`/api/runs/${encodeURIComponent(row.runId)}`);
      const cfg = run.config as { data?: { train?: number }; train?: { batchSize?: number } };
      const perEpoch = Math.floor((cfg.data?.train ?? 0) / (cfg.train?.batchSize ?? 1));
      if (perEpoch < 1) return [];
      const rates = await api<{ points: RatePoint[] }>(`/api/runs/${encodeURIComponent(row.runId)}/rates${qs({ from: (k - 1) * perEpoch, to: k * perEpoch, maxPoints: 20_000 })}`);
      return [...rateAtEpochEnd(rates.points, k, perEpoch, DEFAULT_SMOOTH)].map(([pair, rate]) => ({ p: row.spec.p, seed: row.spec.seed, pair, rate }));
    }))).flat();
    if (ratePoints.length === 0) clearPlot(ratePlot, 'No rate series recorded for this sweep.');
    else await showPlot(ratePlot, rateVsPSpec(ratePoints, swept[0]!.spec.sizes.length, k), ratePoints.length);
  }
  async function refresh(wanted: string | null = null): Promise<void> {
    const sweeps = await api<SweepRecord[]>('/api/sweeps');
    const current = wanted ?? select.value;
    select.replaceChildren(...sweeps.map((s) => h('option', { value: s.id }, `${s.name ?? s.id.slice(0, 8)} (${new Date(s.createdAt).toLocaleString()})`)));
    if (current && sweeps.some((s) => s.id === current)) select.value = current;
    await draw();
  }
  select.addEventListener('change', () => void draw().catch(showError));
  epoch.addEventListener('change', () => void draw().catch(showError));
  refresh().catch(showError);
  return { element, refresh };
}

/** Any graph metric against any outcome, with Pearson's r and Spearman's ρ. */
function scatterSectionElement(): { element: HTMLElement; refresh: () => Promise<void> } {
  const sweep = h('select', { 'data-testid': 'scatter-sweep' }, h('option', { value: '' }, 'all runs'));
  const metric = h('select', { 'data-testid': 'scatter-metric' });
  const outcome = h('select', { 'data-testid': 'scatter-outcome' }, ...Object.keys(OUTCOMES).map((o) => h('option', { value: o }, o)));
  const epoch = h('input', { type: 'number', min: 1, value: 1, style: 'width:4em' });
  // Pooling architectures lets one outlier architecture make r; the default compares like with like.
  const groupBy = h('select', { 'data-testid': 'scatter-group' },
    h('option', { value: 'architecture' }, 'layer sizes and mode'), h('option', { value: 'none' }, 'nothing (pool all runs)'));
  const plot = h('div', { class: 'plot', 'data-testid': 'scatter-plot' });
  const stats = h('div', { 'data-testid': 'scatter-stats' });
  const element = h('section', { class: 'card' }, h('h2', {}, 'Metric against outcome'),
    h('div', { class: 'row' }, h('label', {}, 'runs ', sweep), h('label', {}, 'metric ', metric),
      h('label', {}, 'outcome ', outcome), h('label', {}, 'k = ', epoch), h('label', {}, 'group by ', groupBy)), stats, plot);
  let rows: CorrelationRow[] = [];

  async function load(): Promise<void> {
    rows = await api<CorrelationRow[]>(`/api/correlations${qs({ sweepId: sweep.value || undefined, epoch: Number(epoch.value) || 1 })}`);
    const names = new Set<string>(['p', 'n']);
    for (const r of rows) for (const k of Object.keys(r.metrics)) names.add(k);
    const current = metric.value;
    metric.replaceChildren(...[...names].map((n) => h('option', { value: n }, n)));
    metric.value = current && names.has(current) ? current : names.has('L') ? 'L' : 'p';
    await draw();
  }
  async function draw(): Promise<void> {
    const m = metric.value;
    const xOf = (r: CorrelationRow) => (m === 'p' ? r.spec.p : m === 'n' ? r.spec.n : r.metrics[m] ?? null);
    const yOf = OUTCOMES[outcome.value]!;
    const c = correlate(rows.map(xOf), rows.map(yOf));
    const groupOf = (r: CorrelationRow) =>
      (groupBy.value === 'none' ? 'all runs' : `${r.spec.sizes.join('-')} ${r.spec.mode}`);
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
    const subtitle = groupBy.value === 'none' || groups.length === 1 ? undefined
      : `${groups.length} groups: coefficients per group above the plot`;
    await showPlot(plot, metricScatterSpec(points, m, outcome.value, c, { subtitle }), points.length);
  }
  async function refresh(): Promise<void> {
    const sweeps = await api<SweepRecord[]>('/api/sweeps');
    const current = sweep.value;
    sweep.replaceChildren(h('option', { value: '' }, 'all runs'), ...sweeps.map((s) => h('option', { value: s.id }, s.name ?? s.id.slice(0, 8))));
    sweep.value = current;
    await load();
  }
  sweep.addEventListener('change', () => void load().catch(showError));
  epoch.addEventListener('change', () => void load().catch(showError));
  metric.addEventListener('change', () => void draw().catch(showError));
  outcome.addEventListener('change', () => void draw().catch(showError));
  groupBy.addEventListener('change', () => void draw().catch(showError));
  refresh().catch(showError);
  return { element, refresh };
}
