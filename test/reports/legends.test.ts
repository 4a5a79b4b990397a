/**
 * Figure legends (issue 26): labels unique in pooled figures (naming the layer sizes when they
 * differ), no colour repeated within a figure, training and evaluation told apart in the legend,
 * log axes only when the data spans a decade, and scatter tooltips in the axes' units.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctLabels } from '../../src/reports/report.js';
import {
  distinctColours,
  errorCurvesSpec,
  errorVsPSpec,
  metricScatterSpec,
  rateVsPSpec,
  spansDecades,
  type ErrorPoint,
} from '../../src/reports/specs.js';
import { renderSvg } from '../../src/reports/render.js';

const run = (label: string, sizes: number[], seed: number, id: string) =>
  ({ label, sizes, config: { train: { seed } }, run: { id } }) as unknown as Parameters<
    typeof distinctLabels
  >[0][number];

test('pooled labels: the sizes when they differ, then the seed, then the id; all unique', () => {
  const pooled = [
    run('layer-skipping, p = 5%', [784, 10, 10], 0, 'a'),
    run('layer-skipping, p = 5%', [784, 500, 10], 0, 'b'),
  ];
  distinctLabels(pooled);
  assert.deepEqual(
    pooled.map((r) => r.label),
    ['784-10-10 layer-skipping, p = 5%', '784-500-10 layer-skipping, p = 5%'],
  );
  const same = [
    run('layered', [784, 10], 0, 'a'),
    run('layered', [784, 10], 1, 'b'),
    run('layered', [784, 10], 1, 'c'),
  ];
  distinctLabels(same);
  assert.deepEqual(
    same.map((r) => r.label),
    ['layered, seed 0', 'layered, seed 1 (b)', 'layered, seed 1 (c)'],
    'every run of a repeated label is renamed, the last one too; the same sizes are not repeated',
  );
  const threeSeeds = [1, 2, 3].map((seed) => run('layered, one rate 0.02', [784, 10], seed, `s${seed}`));
  distinctLabels(threeSeeds);
  assert.deepEqual(
    threeSeeds.map((r) => r.label),
    [1, 2, 3].map((seed) => `layered, one rate 0.02, seed ${seed}`),
  );
});

test('no colour repeats within a figure, even past 10 and 20 series', () => {
  for (const n of [3, 12, 25]) assert.equal(new Set(distinctColours(n)).size, n);
  const points: ErrorPoint[] = Array.from({ length: 12 }, (_, i) => ({
    label: `run ${i}`,
    epoch: 1,
    split: 'train' as const,
    error: 0.1,
  }));
  const color = (errorCurvesSpec(points) as any).encoding.color;
  assert.equal(new Set(color.scale.range).size, 12);
  assert.deepEqual([...color.scale.domain].sort(), points.map((p) => p.label).sort());
});

test('training and evaluation differ in the legend (marker and dash)', async () => {
  const points: ErrorPoint[] = ['train', 'eval'].flatMap((split) =>
    [1, 2].map((epoch) => ({ label: 'a', split: split as 'train' | 'eval', epoch, error: 0.3 / epoch })),
  );
  const svg = await renderSvg(errorCurvesSpec(points));
  const legend = svg.slice(svg.lastIndexOf('role-legend'));
  const symbols = [
    ...svg.matchAll(/<path transform="translate\(10,10\)" d="([^"]+)"[^>]*stroke-dasharray="([^"]+)"/g),
  ].map(([, d, dash]) => `${d} ${dash}`);
  assert.equal(symbols.length, 2, `one legend symbol per split: ${legend.slice(0, 200)}`);
  assert.notEqual(symbols[0], symbols[1], 'the two splits look different in the legend');
});

test('log axes only when the values span a decade', () => {
  assert.equal(spansDecades([0.5, 0.4, 0.3]), false);
  assert.equal(spansDecades([0.5, 0.04]), true);
  const narrow = errorCurvesSpec(
    [1, 2, 3].map((epoch) => ({ label: 'a', split: 'train' as const, epoch, error: 0.5 - epoch / 100 })),
  );
  assert.notEqual((narrow as any).encoding.y.scale.type, 'log');
  const wide = errorCurvesSpec(
    [1, 2, 3].map((epoch) => ({ label: 'a', split: 'train' as const, epoch, error: 0.5 / 10 ** epoch })),
  );
  assert.equal((wide as any).encoding.y.scale.type, 'log');
  const rates = rateVsPSpec(
    [
      { p: 0, seed: 0, pair: 0, rate: 1e-5 },
      { p: 0.1, seed: 0, pair: 0, rate: 1e-2 },
    ],
    3,
    1,
  );
  assert.equal((rates as any).encoding.y.scale.type, 'log');
  const flat = rateVsPSpec(
    [
      { p: 0, seed: 0, pair: 0, rate: 2e-3 },
      { p: 0.1, seed: 0, pair: 0, rate: 3e-3 },
    ],
    3,
    1,
  );
  assert.notEqual((flat as any).encoding.y.scale.type, 'log');
});

test("scatter tooltips in the axes' units: errors and p as percentages", () => {
  const spec = metricScatterSpec([{ runId: 'r', x: 0.05, y: 0.1234, group: 'g' }], 'p', 'final training error', {
    n: 1,
    pearson: null,
    spearman: null,
  }) as any;
  const [, x, y] = spec.encoding.tooltip;
  assert.equal(x.format, spec.encoding.x.axis.format);
  assert.equal(y.format, spec.encoding.y.axis.format);
  assert.match(y.format, /%/);
  const metric = metricScatterSpec([{ runId: 'r', x: 1.7, y: 0.2, group: 'g' }], 'L', 'final training error', {
    n: 1,
    pearson: null,
    spearman: null,
  }) as any;
  assert.doesNotMatch(metric.encoding.tooltip[1].format, /%/);
});

test('error against p: the title gives the seed count, as a range where points have fewer seeds', () => {
  const even = errorVsPSpec(
    [0.01, 0.02].flatMap((p) => [1, 2].map((seed) => ({ p, seed, error: 0.5 }))),
    1,
    null,
  ) as any;
  assert.match(even.title, /mean ± sd of 2 seeds/);
  const partly = errorVsPSpec(
    [
      { p: 0.01, seed: 1, error: 0.5 },
      { p: 0.01, seed: 2, error: 0.4 },
      { p: 0.02, seed: 1, error: 0.3 },
    ],
    1,
    null,
  ) as any;
  assert.match(partly.title, /mean ± sd of 1–2 seeds/);
});
