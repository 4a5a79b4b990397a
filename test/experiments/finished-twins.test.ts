/**
 * Reuse of finished runs (src/experiments/reuse/finished-twins.ts) on a real SQLite store: a job whose training
 * equals a finished run's (backend aside) is filed as a copy with the same epochs and rates; a job
 * that differs in anything that changes the numbers (here the seed) or whose twin is not finished
 * is left to train.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { adoptFinishedTwins } from '../../src/experiments/reuse/finished-twins.js';
import type { TrainingJob } from '../../src/experiments/plan/sweep-plan.js';
import type { RunConfig } from '../../src/experiments/plan/run-config.js';
import { smallTopology } from '../store/fixtures.js';
import { tempDir } from './helpers.js';

function runConfig(seed: number, backend: RunConfig['backend']): RunConfig {
  const spec = { sizes: [6, 5, 5, 3], mode: 'replace' as const, n: 12, p: 0.1, seed: 7 };
  return {
    format: 1,
    topology: { kind: 'spec', spec },
    epochs: 1,
    data: { train: 40, eval: 20, test: 0 },
    backend,
    train: {
      epsilon: 0.5,
      beta: 1,
      freeSteps: 5,
      clampedSteps: 2,
      batchSize: 20,
      learningRates: [0.02],
      randomBetaSign: true,
      seed,
      rateEvery: 1,
      checkpointEvery: 0,
    },
  };
}

function job(runId: string, config: RunConfig): TrainingJob {
  return {
    request: { runId, sweepId: 'later', config },
    point: { parameter: 'n', value: 12 },
    seed: config.train.seed,
  };
}

test('a job with the training of a finished run is filed as its copy; others are left to train', async () => {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const topologyId = await store.saveTopology(smallTopology());
    await store.createSweep({ id: 'earlier', config: {} });
    await store.createSweep({ id: 'later', config: {} });
    const asStored = (c: RunConfig) => c as unknown as Record<string, unknown>;
    await store.createRun({
      id: 'done-run',
      topologyId,
      sweepId: 'earlier',
      config: asStored(runConfig(1, 'wasm')),
      seed: 1,
      status: 'running',
    });
    const epoch = {
      epoch: 1,
      trainError: 0.5,
      evalError: 0.45,
      testError: null,
      durationMs: 1234,
      meanFreeSteps: 5,
      blockErrors: [0.5],
    };
    await store.addEpoch('done-run', epoch);
    const rates = [0, 1].flatMap((batch) =>
      [0, 1, 2].map((pair) => ({ batch, pair, rate: 0.001 * (batch + 1) * (pair + 1) })),
    );
    await store.addRates('done-run', rates);
    await store.updateRun('done-run', {
      status: 'done',
      backend: 'wasm',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
    });
    // Same training as done-run except the seed; and a twin of a run that is still running.
    await store.createRun({
      id: 'running-run',
      topologyId,
      sweepId: 'earlier',
      config: asStored(runConfig(3, 'auto')),
      seed: 3,
      status: 'running',
    });

    const reused: [string, string][] = [];
    const adopted = await adoptFinishedTwins(
      store,
      [
        job('twin', runConfig(1, 'auto')),
        job('other-seed', runConfig(2, 'auto')),
        job('twin-of-running', runConfig(3, 'auto')),
      ],
      (j, source) => reused.push([j.request.runId, source]),
    );
    assert.deepEqual(adopted, ['twin']);
    assert.deepEqual(reused, [['twin', 'done-run']]);
    const copy = await store.getRun('twin');
    assert.equal(copy.status, 'done');
    assert.equal(copy.sweepId, 'later');
    assert.equal(copy.topologyId, topologyId);
    assert.equal(copy.worker, 'copy of done-run');
    assert.deepEqual(await store.listEpochs('twin'), [epoch]);
    assert.deepEqual(await store.listRates('twin'), await store.listRates('done-run'));
    await assert.rejects(store.getRun('other-seed'));
    await assert.rejects(store.getRun('twin-of-running'));
    // Filed once: a second pass finds the copy and adopts nothing.
    assert.deepEqual(await adoptFinishedTwins(store, [job('twin', runConfig(1, 'auto'))]), []);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
