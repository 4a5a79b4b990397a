/** Report data: error points, thinned smoothed rates, the rate at an epoch's end; every spec renders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RatePoint } from '../../src/store/contract.js';
import { errorPoints, rateAtEpochEnd, rateSummary, smoothedRateSeries } from '../../src/reports/series.js';
import {
  errorCurvesSpec,
  errorVsPSpec,
  metricScatterSpec,
  pairName,
  rateSeriesSpec,
  rateVsPSpec,
} from '../../src/reports/specs.js';
import { renderSvg, svgToPng } from '../../src/reports/render.js';

test('error points: train, eval and (when measured) test per epoch', () => {
  const points = errorPoints('net', [
    { epoch: 2, trainError: 0.2, evalError: 0.3, durationMs: 1 },
    { epoch: 1, trainError: 0.5, evalError: 0.6, testError: 0.7, durationMs: 1 },
  ]);
  assert.deepEqual(
    points.map((p) => [p.epoch, p.split, p.error]),
    [
      [1, 'train', 0.5],
      [1, 'eval', 0.6],
      [1, 'test', 0.7],
      [2, 'train', 0.2],
      [2, 'eval', 0.3],
    ],
  );
});

test('rate at the end of epoch k: mean of the last n+1 recorded batches of that epoch (hand-worked)', () => {
  const rates: RatePoint[] = [];
  for (let batch = 0; batch < 10; batch++)
    for (const pair of [0, 1]) rates.push({ batch, pair, rate: pair === 0 ? batch + 1 : 100 });
  // 5 batches an epoch; epoch 2 = batches 5…9 with pair-0 rates 6…10; n = 2 → mean(8, 9, 10) = 9.
  const end = rateAtEpochEnd(rates, 2, 5, 2);
  assert.equal(end.get(0), 9);
  assert.equal(end.get(1), 100);
  // epoch 1: rates 1…5, n = 0 → the last value
  assert.equal(rateAtEpochEnd(rates, 1, 5, 0).get(0), 5);
});

test('smoothed series are thinned after smoothing', () => {
  const rates: RatePoint[] = Array.from({ length: 3000 }, (_, batch) => ({ batch, pair: 0, rate: batch % 2 }));
  const series = smoothedRateSeries('net', rates, 1, 1000);
  assert.equal(series.length, 1000);
  // Smoothing over 3 alternating 0/1 values before thinning: 1/3 or 2/3, never 0 or 1 (inside).
  for (const p of series.slice(1))
    assert.ok(Math.abs(p.smoothed - 1 / 3) < 1e-12 || Math.abs(p.smoothed - 2 / 3) < 1e-12);
});

test('pair names follow the paper (input pair first)', () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((l) => pairName(l, 5)),
    ['input–h1', 'h1–h2', 'h2–h3', 'h3–output'],
  );
});

test('every figure spec compiles and renders to SVG and PNG with its data', async () => {
  const specs = [
    errorCurvesSpec([
      { label: 'a', epoch: 1, split: 'train', error: 0.5 },
      { label: 'a', epoch: 2, split: 'train', error: 0 },
    ]),
    rateSeriesSpec(
      [
        { label: 'a', pair: 0, batch: 0, rate: 1e-3, smoothed: 1e-3 },
        { label: 'a', pair: 1, batch: 0, rate: 1e-2, smoothed: 1e-2 },
      ],
      3,
    ),
    errorVsPSpec(
      [
        { p: 0, seed: 1, error: 0.8 },
        { p: 0.01, seed: 1, error: 0.6 },
      ],
      1,
      0.7,
    ),
    rateVsPSpec(
      [
        { p: 0, seed: 1, pair: 0, rate: 1e-4 },
        { p: 0.01, seed: 1, pair: 0, rate: 2e-4 },
      ],
      3,
      1,
    ),
    metricScatterSpec(
      [
        { runId: 'r', x: 1, y: 2, group: 'g' },
        { runId: 's', x: 2, y: 3, group: 'g' },
      ],
      'L',
      'error',
      { n: 3, pearson: 1, spearman: 1 },
    ), // n ≥ 3: fewer prints "needs at least 3 runs"
  ];
  for (const spec of specs) {
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg/);
    assert.ok(svg.includes('<path') || svg.includes('<line'), 'marks drawn');
    assert.equal(svgToPng(svg).subarray(1, 4).toString('ascii'), 'PNG');
  }
  assert.match(await renderSvg(specs[4]), /Pearson r = 1\.000, Spearman ρ = 1\.000/);
});

test("rate summary: each pair averaged over the run's last 50 batches (by index), deepest/output, deep spread", () => {
  // 240 batches recorded every 2nd batch (--rate-every 2): 120 points a pair. Pair p's rate at batch
  // b is (p + 1) · b, so the mean over the last 50 batches (b = 190, 192, …, 238) is (p + 1) · 214.
  const rates: RatePoint[] = [];
  for (let b = 0; b < 240; b += 2)
    for (let pair = 0; pair < 4; pair++) rates.push({ batch: b, pair, rate: (pair + 1) * b });
  const s = rateSummary(rates);
  assert.deepEqual(s.meanRates, [214, 428, 642, 856]);
  assert.equal(s.deepestOverOutput, 214 / 856);
  assert.equal(s.deepSpread, 642 / 214); // pairs 0–2: the output pair is left out
  assert.deepEqual(rateSummary([]), { meanRates: [], deepestOverOutput: null, deepSpread: null });
});
