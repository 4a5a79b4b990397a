/**
 * Fig. 5 on the Runs page: a sweep's error after epoch k against p (training, held-out and test
 * error) and each pair's smoothed rate at the end of that epoch, with the sweep's progress. The sweep
 * and k live in the URL (sweep=…&k=…); k defaults to the sweep's last epoch. Hidden until a sweep exists.
 */
import {
  api,
  qs,
  type CorrelationRow,
  type EpochResult,
  type RatePoint,
  type RunRecord,
  type SweepRecord,
} from '../api.js';
import { h, showError } from '../dom.js';
import { showPlot, clearPlot } from '../plots.js';
import { writeHashParams } from '../url-state.js';
import { errorVsPSpec, rateVsPSpec, type ErrorVsPPoint, type RateVsPPoint } from '../../../src/reports/specs.js';
import { DEFAULT_SMOOTH, rateAtEpochEnd } from '../../../src/reports/series.js';

export function sweepSectionElement(params: URLSearchParams): {
  element: HTMLElement;
  refresh: (select?: string | null) => Promise<void>;
} {
  const select = h('select', { 'data-testid': 'sweep-select' });
  const epoch = h('input', {
    type: 'number',
    min: 1,
    value: params.get('k') ?? '',
    style: 'width:4em',
    'data-testid': 'sweep-epoch',
  });
  // k chosen by the user (from the URL or the input) is kept; otherwise it follows the sweep's last epoch.
  let chosenEpoch = params.has('k');
  const plot = h('div', { class: 'plot', 'data-testid': 'sweep-plot' });
  const ratePlot = h('div', { class: 'plot', 'data-testid': 'sweep-rate-plot' });
  const progress = h('p', { 'data-testid': 'sweep-progress' });
  const element = h(
    'section',
    { class: 'card', 'data-testid': 'sweep-section', hidden: true },
    h('h2', {}, 'Sweep curves (Fig. 5)'),
    h('div', { class: 'row' }, h('label', {}, 'sweep ', select), h('label', {}, 'after epoch ', epoch)),
    progress,
    plot,
    ratePlot,
  );
  async function drawProgress(): Promise<void> {
    const path = `/api/sweeps/${encodeURIComponent(select.value)}`;
    const { sweep, runs } = await api<{ sweep: SweepRecord; runs: RunRecord[] }>(path);
    const c = sweep.config as { values?: unknown[]; seeds?: unknown[]; baseline?: boolean };
    // Runs are filed as they start, so the planned count comes from the definition when it has one.
    const planned =
      Array.isArray(c.values) && Array.isArray(c.seeds)
        ? (c.values.length + (c.baseline ? 1 : 0)) * c.seeds.length
        : runs.length;
    const done = runs.filter((r) => r.status === 'done').length;
    if (!chosenEpoch) {
      const planned = runs
        .map((r) => (r.config as { epochs?: unknown }).epochs)
        .filter((e): e is number => typeof e === 'number');
      epoch.value = String(Math.max(1, ...planned));
    }
    const states = ['running', 'queued', 'failed', 'cancelled']
      .map((s) => [s, runs.filter((r) => r.status === s).length] as const)
      .filter(([, n]) => n > 0);
    progress.dataset.done = String(done);
    progress.dataset.planned = String(planned);
    const others = states.length ? ` · ${states.map(([s, n]) => `${n} ${s}`).join(', ')}` : '';
    const waiting = planned > runs.length ? ` · ${planned - runs.length} not started` : '';
    progress.textContent = `${done} of ${planned} runs done${others}${waiting}`;
  }
  async function draw(): Promise<void> {
    if (!select.value) {
      progress.textContent = '';
      return clearPlot(
        plot,
        'No sweeps yet. Start one with the sweep form above (p values, or n values, each a run), ' +
          'or: eqprop sweep --sizes 784,64,10 --p 0,0.05,0.1 --epochs 1.',
      );
    }
    await drawProgress().catch(showError);
    const k = Number(epoch.value) || 1;
    element.dataset.epoch = String(k);
    const rows = await api<CorrelationRow[]>(`/api/correlations${qs({ sweepId: select.value, epoch: k })}`);
    const reached = rows.filter((r) => r.trainErrorAt !== null);
    // Layered runs of the sweep (--baseline) are the paper's reference line, not points at p = 0.
    const trainPoints: ErrorVsPPoint[] = reached
      .filter((r) => r.spec.mode !== 'layered')
      .map((r) => ({ p: r.spec.p, seed: r.spec.seed, split: 'train', error: r.trainErrorAt! }));
    const baselineRuns = reached.filter((r) => r.spec.mode === 'layered');
    const baseline = baselineRuns.length
      ? baselineRuns.reduce((s, r) => s + r.trainErrorAt!, 0) / baselineRuns.length
      : null;
    if (trainPoints.length === 0) {
      clearPlot(ratePlot, '');
      return clearPlot(plot, `No run of this sweep has finished epoch ${k} yet.`);
    }
    const swept = reached.filter((r) => r.spec.mode !== 'layered').slice(0, 200);
    // Beside the training error, as `eqprop report` draws it: the held-out error, and the official-test
    // error of the runs that measured it (the paper's open question: does it follow?).
    const evalPoints: ErrorVsPPoint[] = swept
      .filter((r) => r.evalErrorAt !== null)
      .map((r) => ({ p: r.spec.p, seed: r.spec.seed, split: 'eval', error: r.evalErrorAt! }));
    const testPoints: ErrorVsPPoint[] = (
      await Promise.all(
        swept.map(async (row) => {
          const epochs = await api<EpochResult[]>(`/api/runs/${encodeURIComponent(row.runId)}/epochs`);
          const test = epochs.find((e) => e.epoch === k)?.testError;
          return typeof test === 'number'
            ? [{ p: row.spec.p, seed: row.spec.seed, split: 'test' as const, error: test }]
            : [];
        }),
      )
    ).flat();
    // data-points counts the runs drawn (their training errors), however many splits each has.
    await showPlot(plot, errorVsPSpec([...trainPoints, ...evalPoints, ...testPoints], k, baseline), trainPoints.length);
    // Fig. 5 bottom: each pair's eq. 3 smoothed rate at the end of epoch k, from that epoch's batches only.
    const ratePoints: RateVsPPoint[] = (
      await Promise.all(
        swept.map(async (row) => {
          const run = await api<RunRecord>(`/api/runs/${encodeURIComponent(row.runId)}`);
          const cfg = run.config as { data?: { train?: number }; train?: { batchSize?: number } };
          const perEpoch = Math.floor((cfg.data?.train ?? 0) / (cfg.train?.batchSize ?? 1));
          if (perEpoch < 1) return [];
          const rates = await api<{ points: RatePoint[] }>(
            `/api/runs/${encodeURIComponent(row.runId)}/rates` +
              `${qs({ from: (k - 1) * perEpoch, to: k * perEpoch, maxPoints: 20_000 })}`,
          );
          return [...rateAtEpochEnd(rates.points, k, perEpoch, DEFAULT_SMOOTH)].map(([pair, rate]) => ({
            p: row.spec.p,
            seed: row.spec.seed,
            pair,
            rate,
          }));
        }),
      )
    ).flat();
    if (ratePoints.length === 0) clearPlot(ratePlot, 'No rate series recorded for this sweep.');
    else await showPlot(ratePlot, rateVsPSpec(ratePoints, swept[0]!.spec.sizes.length, k), ratePoints.length);
  }
  async function refresh(wanted: string | null = null): Promise<void> {
    const sweeps = await api<SweepRecord[]>('/api/sweeps');
    const current = wanted ?? (select.value || params.get('sweep'));
    element.hidden = sweeps.length === 0;
    select.replaceChildren(
      ...sweeps.map((s) =>
        h('option', { value: s.id }, `${s.name ?? s.id.slice(0, 8)} (${new Date(s.createdAt).toLocaleString()})`),
      ),
    );
    if (current && sweeps.some((s) => s.id === current)) select.value = current;
    await draw();
  }
  select.addEventListener('change', () => {
    writeHashParams({ sweep: select.value });
    void draw().catch(showError);
  });
  epoch.addEventListener('change', () => {
    chosenEpoch = true;
    writeHashParams({ k: epoch.value });
    void draw().catch(showError);
  });
  refresh().catch(showError);
  return { element, refresh };
}
