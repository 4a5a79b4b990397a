/**
 * One run in its own view (#/runs/<id>): status, its topology (spec and graph metrics, with a link to
 * it in the explorer, trained weights preselected), the options beyond the paper, the epoch table,
 * the error curve (Fig. 3), the outcome as `eqprop report` computes it, and the per-layer rates with
 * eq. 3 smoothing (Fig. 4). While a job of this server is training the run, its events redraw the view.
 */
import {
  api,
  watchJob,
  type EpochResult,
  type JobSummary,
  type RatePoint,
  type RunRecord,
  type TopologyRecord,
} from '../api.js';
import { h, showError, fmtNum, fmtPct, shortId } from '../dom.js';
import { showPlot, clearPlot } from '../plots.js';
import { errorKindOf, formatError } from '../../../src/experiments/summarise/error-kind.js';
import { topologySpecText } from '../topology-label.js';
import { writeHashParams } from '../url-state.js';
import { runOutcomeElement, summaryRates } from './run-outcome.js';
import { rateSwitches, runEpochsElement } from './run-epochs.js';
import { errorCurvesSpec, rateSeriesSpec } from '../../../src/reports/specs.js';
import { DEFAULT_SMOOTH, errorPoints, smoothedRateSeries } from '../../../src/reports/series.js';

/** The topology block: spec, connection counts and every stored graph metric. */
function topologyElement(run: RunRecord, topology: TopologyRecord | null): HTMLElement {
  if (!topology) {
    return h('p', { class: 'muted', 'data-testid': 'run-topology' }, `Topology ${run.topologyId} is no longer stored.`);
  }
  const explore = `#/explorer/${encodeURIComponent(topology.id)}?run=${encodeURIComponent(run.id)}`;
  const metrics = Object.keys(topology.metrics).sort((a, b) => a.localeCompare(b));
  return h(
    'div',
    { 'data-testid': 'run-topology' },
    h(
      'p',
      {},
      'Topology ',
      h(
        'a',
        { href: explore, 'data-testid': 'run-topology-link' },
        topology.name ? `${topology.name} (${shortId(topology.id)})` : shortId(topology.id),
      ),
      ` — ${topologySpecText(topology)} · ${fmtNum(topology.counts.total)} connections, ` +
        `${fmtNum(topology.counts.skip)} skip`,
    ),
    metrics.length === 0
      ? h('p', { class: 'muted' }, 'No graph metrics stored for this topology.')
      : h(
          'table',
          { class: 'data small metrics', 'data-testid': 'run-topology-metrics' },
          h('tr', {}, ...metrics.map((m) => h('th', { class: 'num' }, m))),
          h('tr', {}, ...metrics.map((m) => h('td', { class: 'num', 'data-metric': m }, fmtNum(topology.metrics[m])))),
        ),
  );
}

export function renderRunView(root: HTMLElement, runId: string, params: URLSearchParams): () => void {
  const title = h('h2', { 'data-testid': 'run-title' }, `Run ${shortId(runId)}`);
  const topologyBlock = h('div', {});
  const runEpochs = h('div', {});
  const errorPlot = h('div', { class: 'plot', 'data-testid': 'error-curve' });
  const outcome = h('div', {});
  const ratePlot = h('div', { class: 'plot', 'data-testid': 'rate-plot' });
  const initialSmooth = Number(params.get('smooth') ?? DEFAULT_SMOOTH);
  const smoothing = h('input', {
    type: 'range',
    min: 0,
    max: 200,
    value: Number.isFinite(initialSmooth) ? initialSmooth : DEFAULT_SMOOTH,
    'data-testid': 'smoothing',
  });
  const smoothingLabel = h('span', {}, `n = ${smoothing.value}`);
  const view = h(
    'section',
    { class: 'card', 'data-testid': 'run-view', 'data-run': runId },
    h('p', {}, h('a', { href: '#/runs', 'data-testid': 'back-to-runs' }, '← all runs')),
    title,
    topologyBlock,
    runEpochs,
    errorPlot,
    outcome,
    h('div', { class: 'row' }, h('label', {}, 'eq. 3 smoothing half-width ', smoothing), smoothingLabel),
    ratePlot,
  );
  root.append(view);

  const live = new AbortController();
  let rateCache: { run: RunRecord; layers: number; points: RatePoint[]; binWidth: number } | null = null;
  let drawing: Promise<void> = Promise.resolve();

  async function draw(): Promise<void> {
    const run = await api<RunRecord>(`/api/runs/${encodeURIComponent(runId)}`);
    const [epochs, topology, rates] = await Promise.all([
      api<EpochResult[]>(`/api/runs/${encodeURIComponent(run.id)}/epochs`),
      api<TopologyRecord>(`/api/topologies/${encodeURIComponent(run.topologyId)}`).catch(() => null),
      api<{ binWidth: number; points: RatePoint[] }>(`/api/runs/${encodeURIComponent(run.id)}/rates?maxPoints=1500`),
    ]);
    if (live.signal.aborted) return;
    view.dataset.run = run.id;
    view.dataset.status = run.status;
    title.textContent = `Run ${shortId(run.id)} — ${run.status}${run.backend ? ` on ${run.backend}` : ''}`;
    topologyBlock.replaceChildren(topologyElement(run, topology));
    runEpochs.replaceChildren(runEpochsElement(run, epochs));
    const points = errorPoints(shortId(run.id), epochs);
    if (points.length === 0) clearPlot(errorPlot, 'No finished epoch yet.');
    else {
      // A regression run's errors are mean squared errors: its own axis and numbers.
      const errorKind = errorKindOf(run.config);
      const show = (x: number) => (errorKind === 'mse' ? formatError(x, 'mse') : fmtPct(x));
      const last = epochs.at(-1)!;
      const heading =
        `${errorKind === 'mse' ? 'Mean squared error' : 'Error'} against epoch — last: train ` +
        `${show(last.trainError)}, eval ${show(last.evalError)}`;
      await showPlot(errorPlot, errorCurvesSpec(points, { title: heading, errorKind }), points.length);
    }
    const layers = topology?.spec.sizes.length ?? 0;
    rateCache = { run, layers, points: rates.points, binWidth: rates.binWidth };
    await drawRates();
    const tail = await summaryRates(run, rates);
    if (!live.signal.aborted) outcome.replaceChildren(runOutcomeElement(run, epochs, tail, layers));
    view.dataset.ready = 'true';
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

  /** Redraws one after the other: an epoch event during a draw queues one more, never two at once. */
  function redraw(): void {
    drawing = drawing.then(draw).catch((e) => {
      if (!live.signal.aborted) showError(e);
    });
  }

  /** A job of this server training this run: follow its events until it ends. */
  async function follow(): Promise<void> {
    const jobs = await api<JobSummary[]>('/api/jobs');
    const job = jobs.find((j) => j.status === 'running' && j.runIds.some((id) => id === runId || id.startsWith(runId)));
    if (!job) return;
    await watchJob(
      job.id,
      (e) => {
        if (e.event === 'epoch' || e.event === 'end') redraw();
      },
      live.signal,
    );
  }

  smoothing.addEventListener('input', () => {
    smoothingLabel.textContent = `n = ${smoothing.value}`;
    writeHashParams({ smooth: Number(smoothing.value) === DEFAULT_SMOOTH ? null : smoothing.value });
    void drawRates().catch(showError);
  });
  redraw();
  follow().catch((e) => {
    if (!live.signal.aborted) showError(e);
  });
  return () => live.abort();
}
