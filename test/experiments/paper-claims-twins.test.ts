/**
 * Fig. 5's claims read Fig. 4's twin runs (src/experiments/summarise/paper-claims-runs.ts) on a real
 * SQLite store: a finished Fig. 4 run counts for a Fig. 5 point only when its training is exactly that
 * point's (the official-test evaluation and the backend aside), and a Fig. 5 run of its own wins.
 * And a partly seeded Fig. 5 sweep says which point has how many seeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { fig5RunsWithTwins } from '../../src/experiments/summarise/paper-claims-runs.js';
import { type Fig5Run, fig5Claims } from '../../src/experiments/summarise/paper-claims.js';
import type { TrainingJob } from '../../src/experiments/plan/sweep-plan.js';
import type { RunConfig } from '../../src/experiments/plan/run-config.js';
import { smallTopology } from '../store/fixtures.js';
import { tempDir } from './helpers.js';

function config(seed: number, test: number, learningRates = [0.02]): RunConfig {
  return {
    format: 1,
    topology: { kind: 'spec', spec: { sizes: [6, 5, 5, 3], mode: 'layered', n: 0, p: 0, seed } },
    epochs: 1,
    data: { train: 40, eval: 20, test },
    backend: 'auto',
    train: {
      epsilon: 0.5,
      beta: 1,
      freeSteps: 5,
      clampedSteps: 2,
      batchSize: 20,
      learningRates,
      randomBetaSign: true,
      seed,
      rateEvery: 1,
      checkpointEvery: 0,
    },
  };
}

function fig5Job(seed: number): TrainingJob {
  return {
    request: { runId: `fig5.layered.s${seed}`, sweepId: 'fig5', config: config(seed, 20) },
    point: 'layered',
    seed,
  };
}

test('Fig. 4 runs with the training of a Fig. 5 point count for it; others and duplicates do not', async () => {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const topologyId = await store.saveTopology(smallTopology({ mode: 'layered', n: 0 }));
    await store.createSweep({ id: 'fig4', config: {} });
    await store.createSweep({ id: 'fig5', config: {} });
    const finished = async (id: string, sweepId: string, c: RunConfig, trainError: number) => {
      const stored = c as unknown as Record<string, unknown>;
      await store.createRun({ id, topologyId, sweepId, config: stored, seed: c.train.seed, status: 'running' });
      const epoch = { epoch: 1, trainError, evalError: 0.4, testError: null, durationMs: 1, meanFreeSteps: 5 };
      await store.addEpoch(id, { ...epoch, blockErrors: [trainError] });
      await store.updateRun(id, { status: 'done', finishedAt: new Date().toISOString() });
    };
    // Fig. 5's own seed 1; Fig. 4's seed 1 (a duplicate), seed 2 (a twin), seed 3 (not a Fig. 5 seed here)
    // and seed 2 with per-layer rates (a different training).
    await finished('fig5.layered.s1', 'fig5', config(1, 20), 0.5);
    await finished('fig4.layered-one-rate.s1', 'fig4', config(1, 0), 0.5);
    await finished('fig4.layered-one-rate.s2', 'fig4', config(2, 0), 0.4);
    await finished('fig4.layered-one-rate.s3', 'fig4', config(3, 0), 0.3);
    await finished('fig4.layered-per-layer.s2', 'fig4', config(2, 0, [0.1, 0.05, 0.02]), 0.2);
    const runs = await fig5RunsWithTwins(store, 'fig5', [fig5Job(1), fig5Job(2)], ['fig4']);
    assert.deepEqual(runs.map((r) => [r.seed, r.trainError]).sort(), [
      [1, 0.5],
      [2, 0.4],
    ]);
    assert.ok(runs.every((r) => r.layered && r.n === 0));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a partly seeded Fig. 5 sweep: each point says its seed count, the seeds column the range', () => {
  const run = (p: number, seed: number, trainError: number): Fig5Run => ({
    n: Math.round(p * 1e6),
    p,
    layered: p < 0,
    seed,
    trainError,
  });
  const baseline = [0.45, 0.4, 0.5].map((e, k) => ({ ...run(0, k + 1, e), layered: true }));
  const rows = fig5Claims([
    ...baseline,
    run(0, 1, 0.9),
    run(0.01, 1, 0.6),
    run(0.02, 1, 0.42),
    run(0.02, 2, 0.38),
    run(0.02, 3, 0.4),
    run(0.08, 1, 0.3),
  ]);
  const cross = rows.find((r) => r.claim.includes('until p ≈ 7 %'));
  assert.ok(cross);
  assert.equal(cross.seeds, 3);
  assert.equal(cross.fewestSeeds, 1);
  assert.match(cross.measured, /layered one rate 45\.0 % ± 5\.0 % \(3 seeds\)/);
  assert.match(cross.measured, /p = 1\.00 %: 60\.0 % \(1 seed\)/);
  assert.match(cross.measured, /p = 2\.00 %: 40\.0 % ± 2\.0 % \(3 seeds\)/);
  const even = fig5Claims([...baseline, run(0.01, 1, 0.6), run(0.01, 2, 0.6), run(0.01, 3, 0.6)]);
  assert.ok(even.every((r) => r.fewestSeeds === undefined));
  assert.doesNotMatch(even.map((r) => r.measured).join(' '), /seeds?\)/);
});
