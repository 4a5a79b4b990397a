/**
 * A run's outcome as `eqprop report` computes it: the training error of each 500-batch
 * block of the last epoch, counted during training (the paper's "training error after one epoch"),
 * and each adjacent pair's eq. 2 rate averaged over the last 50 recorded batches, with the deepest
 * pair over the output pair and the spread (max/min) of all pairs but the output pair. The numbers
 * come from the report's own functions (blockErrorPoints, rateSummary), so web and CLI agree.
 */
import { api, qs, type EpochResult, type RatePoint, type RunRecord } from '../api.js';
import { fmtPct, h } from '../dom.js';
import { ERROR_BLOCK_BATCHES } from '../../../engine/error-blocks.js';
import { blockErrorPoints, rateSummary, SUMMARY_BATCHES } from '../../../src/reports/series.js';
import { pairName } from '../../../src/reports/specs.js';

/** The parts of a stored run configuration the outcome needs. */
interface OutcomeConfig {
  data?: { train?: number };
  train?: { batchSize?: number; rateEvery?: number };
}

/**
 * The raw rate points of the run's last SUMMARY_BATCHES recorded batches (or more). The page's
 * series may be binned (binWidth batches a point), and an average over the last 50 bins is not the
 * report's number, so then the tail is fetched again unbinned: its last bin's mean batch is at or
 * before the last recorded batch, so starting 50 recording intervals earlier covers the tail.
 */
export async function summaryRates(
  run: RunRecord,
  shown: { binWidth: number; points: RatePoint[] },
): Promise<RatePoint[]> {
  if (shown.binWidth === 1 || shown.points.length === 0) return shown.points;
  const every = Math.max(1, (run.config as OutcomeConfig).train?.rateEvery ?? 1);
  const lastBatch = Math.max(...shown.points.map((p) => p.batch));
  const from = Math.max(0, Math.floor(lastBatch) - SUMMARY_BATCHES * every);
  const path = `/api/runs/${encodeURIComponent(run.id)}/rates${qs({ from, maxPoints: 20_000 })}`;
  const tail = await api<{ points: RatePoint[] }>(path);
  return tail.points;
}

/** Rates span decades (1e-5 to 1e-2), so they keep three significant digits: 1.23e-4. */
const fmtRate = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : '–');
/** Ratios with three significant digits: 0.0102 (layered, one rate) reads as well as 1.08 (equalised). */
const fmtRatio = (x: number | null): string =>
  x === null || !Number.isFinite(x) ? '–' : String(Number(x.toPrecision(3)));

function blockTable(last: EpochResult, batchesPerEpoch: number): HTMLElement {
  if (!last.blockErrors) {
    const why = 'not counted (trained before block counting, or resumed from an older checkpoint)';
    return h('p', { class: 'muted' }, `Epoch ${last.epoch}: block errors were not counted (${why}).`);
  }
  const blocks = blockErrorPoints('', last, ERROR_BLOCK_BATCHES, batchesPerEpoch);
  const ranges = blocks.map((b, k) => `${k * ERROR_BLOCK_BATCHES + 1}–${b.batches}`);
  return h(
    'table',
    { class: 'data small', 'data-testid': 'block-errors' },
    h(
      'caption',
      {},
      `Training error of epoch ${last.epoch} per ${ERROR_BLOCK_BATCHES}-batch block, counted during training`,
    ),
    h('tr', {}, h('th', {}, 'batches'), ...ranges.map((r) => h('th', { class: 'num' }, r))),
    h(
      'tr',
      {},
      h('th', {}, 'error'),
      ...blocks.map((b) => h('td', { class: 'num', 'data-testid': 'block-error' }, fmtPct(b.error))),
    ),
  );
}

function rateTable(rates: readonly RatePoint[], layers: number): HTMLElement {
  const summary = rateSummary(rates);
  if (summary.meanRates.length === 0) return h('p', { class: 'muted' }, 'No rate series recorded.');
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'data small', 'data-testid': 'pair-rates' },
      h('caption', {}, `eq. 2 rate per layer pair, mean of the last ${SUMMARY_BATCHES} recorded batches`),
      h('tr', {}, ...summary.meanRates.map((_, pair) => h('th', { class: 'num' }, pairName(pair, layers)))),
      h('tr', {}, ...summary.meanRates.map((rate) => h('td', { class: 'num' }, fmtRate(rate)))),
    ),
    h(
      'p',
      { 'data-testid': 'rate-ratios' },
      `deepest / output pair: ${fmtRatio(summary.deepestOverOutput)} · ` +
        `spread of all pairs but the output pair (max / min): ${fmtRatio(summary.deepSpread)}`,
    ),
  );
}

/** The outcome block of the run page; empty until the run has finished an epoch. */
export function runOutcomeElement(
  run: RunRecord,
  epochs: readonly EpochResult[],
  rates: readonly RatePoint[],
  layers: number,
): HTMLElement {
  const last = [...epochs].sort((a, b) => a.epoch - b.epoch).at(-1);
  const config = run.config as OutcomeConfig;
  const batchesPerEpoch = Math.floor((config.data?.train ?? 0) / (config.train?.batchSize ?? 1));
  const element = h('div', { 'data-testid': 'run-outcome', 'data-run': run.id, 'data-pairs': layers - 1 });
  if (!last) return element;
  element.append(blockTable(last, batchesPerEpoch), rateTable(rates, layers));
  return element;
}
