/**
 * A store that fails while a run trains: the rate series' background write is refused by the
 * real SQLite database (a trigger installed through a second connection, no mock of the store).
 * The run must end `failed` with the database's message, and no promise may be left rejected
 * without a handler (in a CLI process that is a crash that leaves the run "running").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { startRun } from '../../src/experiments/execute/execute-run.js';
import { validateSpec } from '../../graph/spec.js';
import type { RunConfig } from '../../src/experiments/plan/run-config.js';
import { syntheticData } from '../engine/helpers.js';
import { tempDir } from './helpers.js';

// 450 batches of one example, 2 layer pairs: the rate buffer (400 points) is written in the
// background mid-epoch, long before the epoch-end flush awaits it.
const config: RunConfig = {
  format: 1,
  topology: { kind: 'spec', spec: validateSpec({ sizes: [784, 8, 10], mode: 'layered', seed: 1 }) },
  epochs: 1,
  data: { train: 450, eval: 10, test: 0 },
  train: {
    epsilon: 0.5,
    beta: 1,
    freeSteps: 3,
    clampedSteps: 2,
    batchSize: 1,
    learningRates: [0.05],
    randomBetaSign: true,
    seed: 1,
    rateEvery: 1,
    checkpointEvery: 0,
  },
  backend: 'cpu',
};

// Catches the RateWriter's unobserved background write (unhandled rejection → the process dies
// and the run stays "running"), and an error that does not reach the run record.
test('a refused rate write ends the run failed with the error, without an unhandled rejection', async () => {
  const dir = tempDir();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const saboteur = new Database(join(dir, 'eqprop.db'));
    saboteur.exec(
      `CREATE TRIGGER refuse_rates BEFORE INSERT ON rates BEGIN SELECT RAISE(ABORT, 'injected: the rates table ` +
        `refuses writes'); END;`,
    );
    saboteur.close();
    const emitted: Record<string, unknown>[] = [];
    await assert.rejects(
      startRun(
        { config, runId: 'refused' },
        {
          store,
          checkpointDir: join(dir, 'checkpoints'),
          emit: (e) => emitted.push(e as never),
          loadData: (sizes) => ({
            train: syntheticData(sizes.train, 784, 10, 1),
            eval: syntheticData(sizes.eval, 784, 10, 2),
          }),
        },
      ),
      /refuses writes/,
    );
    await new Promise((resolve) => setImmediate(resolve)); // let any stray rejection surface
    const run = await store.getRun('refused');
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /injected: the rates table refuses writes/);
    assert.ok(run.finishedAt);
    assert.deepEqual(unhandled, [], 'no unhandled rejection');
    assert.ok(emitted.some((e) => e.event === 'error'));
    assert.ok(!emitted.some((e) => e.event === 'epoch'), 'the epoch was not reported as finished');
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
