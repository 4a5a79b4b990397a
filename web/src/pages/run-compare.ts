/**
 * The comparison view of the Runs page: the ticked runs' error curves overlaid in one plot, their
 * per-layer rate plots side by side, and a table of only the configuration keys that differ
 * (src/experiments/summarise/run-diff.ts, as `eqprop runs compare`). The selection lives in the URL
 * (#/runs?compare=a,b,c) so a comparison can be shared or bookmarked.
 */
import { api, type EpochResult, type RatePoint, type RunRecord, type TopologyRecord } from '../api.js';
import { h, shortId } from '../dom.js';
import { writeHashParams } from '../url-state.js';
import { showPlot, clearPlot } from '../plots.js';
import { errorCurvesSpec, rateSeriesSpec } from '../../../src/reports/specs.js';
import { DEFAULT_SMOOTH, errorPoints, smoothedRateSeries } from '../../../src/reports/series.js';
import { formatP, summariseRun } from '../../../src/experiments/summarise/run-summary.js';
import { configDifferences, flatConfig } from '../../../src/experiments/summarise/run-diff.js';

/** Keeps #/runs?compare=… in step with the selection without re-rendering the page (no hashchange). */
export function writeCompareToUrl(ids: readonly string[]): void {
  writeHashParams({ compare: ids.join(',') });
}

export function compareIdsFromUrl(params: URLSearchParams): string[] {
  return (params.get('compare') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export class RunComparison {
  readonly element: HTMLElement;
  private readonly heading = h('h2', {}, 'Compare runs');
  private readonly errorPlot = h('div', { class: 'plot', 'data-testid': 'compare-error-plot' });
  private readonly rates = h('div', { class: 'side-by-side', 'data-testid': 'compare-rates' });
  private readonly diff = h('div', { 'data-testid': 'compare-diff' });
  private generation = 0;

  constructor() {
    this.element = h(
      'section',
      { class: 'card', 'data-testid': 'compare' },
      this.heading,
      this.diff,
      this.errorPlot,
      this.rates,
    );
  }

  async show(given: readonly string[]): Promise<void> {
    const generation = ++this.generation;
    // An empty card is noise: the comparison shows once two runs are ticked.
    this.element.hidden = given.length < 2;
    if (given.length < 2) {
      this.heading.textContent = 'Compare runs';
      this.diff.replaceChildren(
        h(
          'p',
          { class: 'muted' },
          'Tick two or more runs in the table to overlay their error ' +
            'curves, see their rate plots side by side and the configuration keys that differ.',
        ),
      );
      clearPlot(this.errorPlot, '');
      this.rates.replaceChildren();
      return;
    }
    // The API takes short ids too; the records carry the full ones.
    const loaded = await Promise.all(
      given.map(async (id) => {
        const run = await api<RunRecord>(`/api/runs/${encodeURIComponent(id)}`);
        const [epochs, topology, rates] = await Promise.all([
          api<EpochResult[]>(`/api/runs/${encodeURIComponent(run.id)}/epochs`),
          api<TopologyRecord>(`/api/topologies/${encodeURIComponent(run.topologyId)}`).catch(() => null),
          api<{ binWidth: number; points: RatePoint[] }>(`/api/runs/${encodeURIComponent(run.id)}/rates?maxPoints=800`),
        ]);
        return { run, epochs, topology, rates, summary: summariseRun(run, topology, epochs) };
      }),
    );
    if (generation !== this.generation) return; // a newer selection is being drawn
    const label = (i: number) => {
      const s = loaded[i]!.summary;
      const p = s.mode && s.mode !== 'layered' ? ` p ${formatP(s.mode, s.p)}` : '';
      return `${i + 1}: ${shortId(s.id)} ${s.mode ?? ''}${p}`;
    };
    this.heading.textContent = `Compare ${loaded.length} runs`;

    const differences = configDifferences(loaded.map((l) => flatConfig(l.run, l.summary)));
    this.diff.replaceChildren(
      differences.length === 0
        ? h('p', { class: 'muted' }, 'The configurations are identical.')
        : h(
            'table',
            { class: 'data' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'configuration key'), ...loaded.map((_, i) => h('th', {}, label(i)))),
            ),
            h(
              'tbody',
              {},
              ...differences.map((d) =>
                h(
                  'tr',
                  { 'data-key': d.key },
                  h('td', { class: 'mono' }, d.key),
                  ...d.values.map((v) => h('td', {}, v)),
                ),
              ),
            ),
          ),
    );

    const points = loaded.flatMap((l, i) => errorPoints(label(i), l.epochs));
    if (points.length === 0) clearPlot(this.errorPlot, 'None of these runs has finished an epoch yet.');
    else {
      const title = 'Error against epoch (solid: training, dashed: evaluation)';
      await showPlot(this.errorPlot, errorCurvesSpec(points, { title, width: 560 }), points.length);
    }

    this.rates.replaceChildren();
    for (const [i, l] of loaded.entries()) {
      const plot = h('div', { class: 'plot', 'data-testid': 'compare-rate-plot' });
      this.rates.append(plot);
      const layers = l.topology?.spec.sizes.length ?? 0;
      if (l.rates.points.length === 0 || layers < 2) {
        clearPlot(plot, `${label(i)}: no rate series recorded.`);
        continue;
      }
      const series = smoothedRateSeries(label(i), l.rates.points, DEFAULT_SMOOTH);
      await showPlot(plot, rateSeriesSpec(series, layers, { width: 300, height: 200 }), series.length);
    }
  }
}
