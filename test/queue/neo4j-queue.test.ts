/**
 * The multi-machine configuration on one machine: workers writing to the shared Neo4j store
 * (the project's launcher, or NEO4J_URI), jobs from a real Redis. The results must equal the
 * same sweep run by the local executor into SQLite: where a run is trained and stored does not
 * change its numbers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { planSweep, type SweepDefinition } from '../../src/experiments/plan/sweep-plan.js';
import { LocalProcessExecutor } from '../../src/experiments/execute/local-executor.js';
import { submitSweep } from '../../src/experiments/execute/sweep-run.js';
import { configEnv, loadConfig, type Config } from '../../src/config.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/contract.js';
import { enqueueSweep, sweepQueueStatus } from '../../src/queue/index.js';
import { startTestNeo4jOrSkip, type TestNeo4j } from '../store/neo4j-server.js';
import { tempDir } from '../experiments/helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis.js';
import { startWorker, stopWorkers } from './workers.js';

const missing = redisMissing();
if (missing && process.env.CI === 'true') {
  test('redis-server is installed (required under CI=true)', () => assert.fail(missing));
}
// Redis first (no Neo4j is started for nothing), then Java: either missing is a skip with its reason.
const started = missing
  ? { neo4j: null, skip: false as const }
  : await startTestNeo4jOrSkip({ heap: '512m', pageCache: '64m' });
const skip = missing ?? started.skip;

const definition: SweepDefinition = {
  // Unique per test run: with NEO4J_URI the database may be shared and outlive this file.
  name: `q-neo4j-${process.pid}-${Date.now()}`,
  sizes: [784, 8, 10],
  mode: 'per-connection',
  parameter: 'p',
  values: [0.001, 0.01],
  seeds: [1, 2],
  baseline: false,
  epochs: 2,
  data: { train: 100, eval: 20, test: 0 },
  train: {
    epsilon: 0.5,
    beta: 1,
    freeSteps: 30,
    clampedSteps: 4,
    batchSize: 10,
    learningRates: [0.05],
    randomBetaSign: true,
    rateEvery: 3,
    checkpointEvery: 2,
  },
};

const dir = tempDir('eqprop-queue-neo4j-');
let redis: RedisServer;
let neo4j: TestNeo4j;
let config: Config;
let store: Store;

before(
  async () => {
    if (skip) return;
    redis = await startRedis();
    neo4j = started.neo4j!;
    config = loadConfig(
      {
        store: 'neo4j',
        neo4jUri: neo4j.uri,
        neo4jUser: neo4j.user,
        neo4jPassword: neo4j.password,
        checkpointDir: join(dir, 'shared-checkpoints'),
        backend: 'cpu',
      },
      {},
    );
    store = await openStore(config);
  },
  { timeout: 240_000 },
);

after(async () => {
  await store?.close();
  await redis?.stop();
  await neo4j?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('workers on the shared Neo4j store: each run stored once, same numbers as a local SQLite sweep', {
  skip,
  timeout: 180_000,
}, async () => {
  const plan = planSweep(definition, 'cpu');
  const report = await enqueueSweep(plan, { redisUrl: redis.url, store, config });
  assert.equal(report.added.length, 4);
  const workers = [1, 2].map(() => startWorker(redis.url, configEnv(config, {})));
  try {
    const deadline = Date.now() + 150_000;
    for (;;) {
      const status = await sweepQueueStatus(redis.url, plan.sweepId);
      if (status.counts.done + status.counts.failed === 4) {
        assert.equal(status.counts.done, 4, JSON.stringify(status.runs.map((r) => r.reason)));
        break;
      }
      if (Date.now() > deadline) throw new Error(`sweep not finished: ${JSON.stringify(status.counts)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    await stopWorkers(workers);
  }

  const localConfig = loadConfig(
    {
      store: 'sqlite',
      sqlitePath: join(dir, 'local.db'),
      checkpointDir: join(dir, 'local-checkpoints'),
      backend: 'cpu',
    },
    {},
  );
  const local = await openStore(localConfig);
  try {
    const { outcomes } = await submitSweep(
      local,
      plan,
      new LocalProcessExecutor({ workers: 2, env: configEnv(localConfig, process.env) }),
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done', 'done', 'done', 'done'],
      JSON.stringify(outcomes),
    );
    const runs = await store.listRuns({ sweepId: plan.sweepId });
    assert.deepEqual(
      runs.map((r) => r.id).sort(),
      plan.jobs.map((j) => j.request.runId).sort(),
      'each run stored once in Neo4j',
    );
    for (const run of runs) {
      assert.equal(run.status, 'done');
      const strip = (epochs: { durationMs: number }[]) => epochs.map(({ durationMs: _d, ...e }) => e);
      assert.deepEqual(
        strip(await store.listEpochs(run.id)),
        strip(await local.listEpochs(run.id)),
        `${run.id} epochs`,
      );
      assert.deepEqual(await store.listRates(run.id), await local.listRates(run.id), `${run.id} rates`);
    }
  } finally {
    await local.close();
  }
});
