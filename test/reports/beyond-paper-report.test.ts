/**
 * Issue 15 in the reports: the rate plot marks add-train-remove's switch with a rule and the
 * epoch table notes it; Fig. 5's error against p shows the held-out and official-test errors beside
 * the training error, and a run without a test error just lacks that series. A real SQLite store
 * filled through the store API (no training); the expected numbers are the ones written.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopology } from '../../graph/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { collectRunsReport, collectSweepReport } from '../../src/reports/report.js';
import { errorVsPSpec, rateSeriesSpec } from '../../src/reports/specs.js';
import { renderSvg } from '../../src/reports/render.js';
import { tempDir } from '../experiments/helpers.js';

const dir = tempDir();
let store: SqliteStore;

const SIZES = [784, 6, 6, 10];
const train = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 5,
  clampedSteps: 2,
  batchSize: 10,
  learningRates: [0.02],
  randomBetaSign: true,
  seed: 1,
  rateEvery: 1,
  checkpointEvery: 0,
};
const sweepDefinition = {
  kind: 'p-sweep',
  name: 'opts',
  sizes: SIZES,
  mode: 'replace',
  parameter: 'p',
  values: [0.1, 0.2],
  seeds: [1],
  baseline: false,
  epochs: 2,
  data: { train: 50, eval: 20, test: 20 },
  train,
};

before(async () => {
  store = SqliteStore.open(join(dir, 'eqprop.db'));
  await store.createSweep({ id: 'opts', config: sweepDefinition });
  // p 0.1 measured the official test set; p 0.2 did not (an older run): it just lacks that point.
  for (const [p, test] of [
    [0.1, 0.45],
    [0.2, null],
  ] as const) {
    const topology = buildTopology({ sizes: SIZES, mode: 'replace', p, seed: 1 });
    const topologyId = await store.saveTopology(topology);
    const id = `opts.p${p}.s1`;
    const config = {
      format: 1,
      topology: { kind: 'spec', spec: topology.spec },
      epochs: 2,
      data: { train: 50, eval: 20, test: test === null ? 0 : 20 },
      train: { ...train, removeSkipsAfter: 1 },
      backend: 'cpu',
    };
    await store.createRun({ id, topologyId, sweepId: 'opts', config, seed: 1, status: 'done' });
    for (const epoch of [1, 2]) {
      await store.addEpoch(id, {
        epoch,
        trainError: p + epoch / 10,
        evalError: p + epoch / 10 + 0.05,
        testError: test === null ? null : test + epoch / 10,
        durationMs: 10,
        meanFreeSteps: 5,
      });
    }
    // 5 batches an epoch (50 images in batches of 10): the skips go at batch 5.
    const rates = Array.from({ length: 10 }, (_, batch) =>
      [0, 1, 2].map((pair) => ({ batch, pair, rate: 1e-3 * (pair + 1) })),
    );
    await store.addRates(id, rates.flat());
  }
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Fig. 5: training, held-out and official-test error against p, the test point only where measured', async () => {
  const report = await collectSweepReport(store, 'opts', { epoch: 1, smooth: 1 });
  const figure = report.figures.find((f) => f.name === 'error-vs-p-epoch1');
  assert.ok(figure, report.figures.map((f) => f.name).join(', '));
  const values = (figure.spec.data as { values: { p: number; split: string; error: number }[] }).values;
  const at = (split: string) =>
    values.filter((v) => v.split === split).map((v) => [Number(v.p.toFixed(2)), Number(v.error.toFixed(6))]);
  assert.deepEqual(at('train'), [
    [0.1, 0.2],
    [0.2, 0.3],
  ]);
  assert.deepEqual(at('eval'), [
    [0.1, 0.25],
    [0.2, 0.35],
  ]);
  assert.deepEqual(at('test'), [[0.1, 0.55]], 'the run without a test evaluation has no test point');
  const sweep = report.tables.find((t) => t.name === 'sweep')!;
  const row = (p: number) => sweep.rows.find((r) => Math.abs((r.p as number) - p) < 0.01)!;
  assert.equal(Number((row(0.1).testErrorAfterEpoch1 as number).toFixed(6)), 0.55);
  assert.equal(row(0.2).testErrorAfterEpoch1, null);
  assert.ok('ratePair0' in row(0.1), 'the per-layer rates stay beside the errors');
  assert.ok(report.figures.some((f) => f.name === 'rate-vs-p-epoch1'));
  const svg = await renderSvg(figure.spec);
  for (const name of ['training', 'held-out (eval)', 'official test']) {
    assert.ok(svg.includes(name), `legend names ${name}`);
  }
});

test("a sweep with only training errors gets the paper's one-series plot", async () => {
  const spec = errorVsPSpec(
    [
      { p: 0, seed: 1, error: 0.8 },
      { p: 0.01, seed: 1, error: 0.6 },
    ],
    1,
    0.7,
  );
  assert.doesNotMatch(JSON.stringify(spec), /splitName|error on/);
  assert.match(JSON.stringify(spec.title), /^"Training error after epoch 1/);
});

test('add-train-remove: a rule on the rate panel at the switch, a note in the epoch table', async () => {
  const report = await collectRunsReport(store, ['opts.p0.1.s1'], { smooth: 1 });
  const rates = report.figures.find((f) => f.name === 'rates')!;
  const rows = (rates.spec.data as { values: Record<string, unknown>[] }).values;
  assert.deepEqual(
    rows.filter((r) => 'switchBatch' in r).map((r) => [r.switchBatch, r.what]),
    [[5, 'skips removed']],
  );
  const svg = await renderSvg(rates.spec);
  assert.match(svg, /stroke-dasharray="5,3"/, 'the rule is drawn');
  const epochs = report.tables.find((t) => t.name === 'epochs')!;
  assert.ok(epochs.columns!.includes('note'));
  assert.deepEqual(
    epochs.rows.map((r) => [r.epoch, r.note]),
    [
      [1, null],
      [2, 'skips removed'],
    ],
  );
});

test('a run that removes nothing: no rule, no note column', async () => {
  const spec = rateSeriesSpec([{ label: 'a', pair: 0, batch: 0, rate: 1e-3, smoothed: 1e-3 }], 3, {}, [
    { label: 'another run', batch: 3, what: 'skips removed' },
  ]);
  assert.doesNotMatch(JSON.stringify(spec), /switchBatch/, 'a switch of a run not drawn is left out');
  assert.doesNotMatch(await renderSvg(spec), /stroke-dasharray="5,3"/);
});
