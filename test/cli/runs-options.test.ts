/**
 * Issue 15: `runs show` prints the options beyond the paper a run used and marks the epoch after
 * the skips were removed; `runs compare` lists them as differing keys. Runs are written through
 * the store API (no training); the expected text is written from the inputs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopology } from '../../graph/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, runCli, tempDir } from '../experiments/helpers.js';

const dir = tempDir();
const env = cliEnv(dir);

const paperTrain = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 20,
  clampedSteps: 4,
  batchSize: 10,
  learningRates: [0.02],
  randomBetaSign: true,
  seed: 1,
  rateEvery: 1,
  checkpointEvery: 0,
};
const options = {
  symmetricNudging: true,
  targetFeedback: { layers: [1, 2], density: 0.1, scale: 0.05 },
  removeSkipsAfter: 1,
  removeIntralayer: true,
  extraInit: { kind: 'zero' },
};

before(async () => {
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  const topologyId = await store.saveTopology(
    buildTopology({ sizes: [6, 5, 5, 3], seed: 1, mode: 'replace', p: 0.2 }),
    { id: 'topo-p20' },
  );
  const config = (train: Record<string, unknown>) => ({
    format: 1,
    topology: { kind: 'stored', id: topologyId },
    epochs: 3,
    data: { train: 100, eval: 20, test: 0 },
    train,
    backend: 'cpu',
  });
  for (const [id, train] of [
    ['with-options', { ...paperTrain, ...options }],
    ['paper', paperTrain],
  ] as const) {
    await store.createRun({ id, topologyId, sweepId: null, config: config(train), seed: 1, status: 'done' });
    for (const epoch of [1, 2, 3]) {
      const errors = { trainError: 0.5 / epoch, evalError: 0.6 / epoch };
      await store.addEpoch(id, { epoch, ...errors, durationMs: 1000, meanFreeSteps: 20 });
    }
  }
  await store.close();
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('runs show prints the options and marks the first epoch without the removed connections', async () => {
  const r = await runCli(['runs', 'show', 'with-options'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^options {4}nudging symmetric; target feedback h1,h2 density 0\.1 scale 0\.05; /m);
  assert.match(r.stdout, /; remove skips after epoch 1 \(\+ intralayer\); extra init zero$/m);
  assert.match(r.stdout, /^epoch .*duration\s+note$/m);
  const rows = r.stdout.split('\n').filter((l) => /^\s*[123]\s+\d/.test(l));
  assert.equal(rows.length, 3, r.stdout);
  assert.doesNotMatch(rows[0], /removed/);
  assert.match(rows[1], /skips and intralayer removed$/, 'epoch 2 is the first one after epoch 1');
  assert.doesNotMatch(rows[2], /removed/);
});

test("runs show of a run with the paper's behaviour has no options line and no note column", async () => {
  const r = await runCli(['runs', 'show', 'paper'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /^options/m);
  assert.doesNotMatch(r.stdout, /note/);
});

test('runs compare lists each option as a differing key', async () => {
  const r = await runCli(['runs', 'compare', 'with-options', 'paper', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const differences = (JSON.parse(r.stdout) as { differences: { key: string; values: string[] }[] }).differences;
  const value = (key: string) => differences.find((d) => d.key === key)?.values;
  assert.deepEqual(value('train.symmetricNudging'), ['true', '-']);
  assert.deepEqual(value('train.targetFeedback.layers'), ['1,2', '-']);
  assert.deepEqual(value('train.removeSkipsAfter'), ['1', '-']);
  assert.deepEqual(value('train.removeIntralayer'), ['true', '-']);
  assert.deepEqual(value('train.extraInit.kind'), ['zero', '-']);
});
