/**
 * Sweeps through the BullMQ queue, end to end with real parts: a real redis-server, real
 * `eqprop worker` processes (each training in its own child process), a real SQLite store file
 * and real MNIST. The reference is the same sweep run by the local executor (child processes of
 * `eqprop train`) into another store: a queued run must give the same numbers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { planSweep, type SweepDefinition, type SweepPlan } from '../../src/experiments/plan/sweep-plan.js';
import { LocalProcessExecutor } from '../../src/experiments/execute/local-executor.js';
import { submitSweep } from '../../src/experiments/execute/sweep-run.js';
import { configEnv, loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/contract.js';
import { InputError } from '../../lib/errors.js';
import { enqueueSweep, sweepQueueStatus, type SweepQueueStatus } from '../../src/queue/index.js';
import { repoPath, tempDir } from '../experiments/helpers.js';
import { redisMissing, startRedis, type RedisServer } from './redis.js';
import { startWorker, stopWorkers, type WorkerProcess } from './workers.js';

const missing = redisMissing();
if (missing && process.env.CI === 'true') {
  test('redis-server is installed (required under CI=true)', () => assert.fail(missing));
}
const skip = missing ?? false;

/** 6 tiny runs (3 values of n × 2 seeds), 2 epochs of 20 batches, a checkpoint after every batch. */
function definition(name: string): SweepDefinition {
  return {
    name,
    sizes: [784, 8, 10],
    mode: 'add',
    parameter: 'n',
    values: [5, 20, 60],
    seeds: [1, 2],
    baseline: false,
    epochs: 2,
    data: { train: 200, eval: 20, test: 0 },
    train: {
      epsilon: 0.5,
      beta: 1,
      freeSteps: 40,
      clampedSteps: 4,
      batchSize: 10,
      learningRates: [0.05],
      randomBetaSign: true,
      rateEvery: 2,
      checkpointEvery: 1,
    },
  };
}

const dir = tempDir('eqprop-queue-');
const config = loadConfig(
  { store: 'sqlite', sqlitePath: join(dir, 'queue.db'), checkpointDir: join(dir, 'checkpoints'), backend: 'cpu' },
  {},
);
const workerEnv = configEnv(config, {});
let redis: RedisServer;
let store: Store;
/** Per run suffix (after the sweep id): epochs and rates of the locally run reference sweep. */
const reference = new Map<string, { epochs: unknown; rates: unknown }>();

const suffix = (plan: SweepPlan, runId: string) => runId.slice(plan.sweepId.length);

async function results(s: Store, runId: string) {
  const epochs = (await s.listEpochs(runId)).map(({ durationMs: _d, ...e }) => e);
  return { epochs, rates: await s.listRates(runId) };
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 150): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends the signal; false when the process is already gone. */
function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/** Training processes stopped by freezeMidRun: a failed test continues them, so none stays stopped. */
const stopped = new Set<number>();
function continueStopped(pid?: number): void {
  for (const p of pid === undefined ? [...stopped] : [pid]) {
    signal(p, 'SIGCONT');
    stopped.delete(p);
  }
}

interface FrozenRun {
  runId: string;
  worker: WorkerProcess;
  /** The training process, stopped with SIGSTOP; SIGCONT continues it. */
  pid: number;
}

/**
 * Stops (SIGSTOP) the training process of one of `runIds` once that run has written a checkpoint,
 * while it is still running with no epoch stored. Stopped, it cannot get further: whatever the test
 * then does to its worker happens mid-run, however fast the machine trains. After SIGCONT it ends
 * at its next batch (its worker gone or asking it to stop), so it cannot finish the run either.
 */
async function freezeMidRun(workers: WorkerProcess[], runIds: readonly string[]): Promise<FrozenRun> {
  const passed = new Set<string>();
  let frozen: FrozenRun | null = null;
  await waitFor(
    'a run with a checkpoint to stop mid-run',
    60_000,
    async () => {
      for (const worker of workers) {
        for (const e of worker.events) {
          if (e.event !== 'start' || !runIds.includes(e.runId) || passed.has(e.runId)) continue;
          if (!existsSync(join(config.checkpointDir, `${e.runId}.ckpt`))) continue;
          // The claim in the store names the training process (host:pid).
          const pid = Number((await store.getRun(e.runId)).worker?.split(':').at(-1));
          if (!Number.isInteger(pid) || !signal(pid, 'SIGSTOP')) {
            passed.add(e.runId);
            continue;
          }
          stopped.add(pid);
          const run = await store.getRun(e.runId);
          if (run.status === 'running' && (await store.listEpochs(e.runId)).length === 0 && isAlive(pid)) {
            frozen = { runId: e.runId, worker, pid };
            return true;
          }
          continueStopped(pid); // it got too far before it stopped: try another run
          passed.add(e.runId);
        }
      }
      return false;
    },
    5,
  );
  return frozen!;
}

function sweepDone(sweepId: string, total: number) {
  let last: SweepQueueStatus | null = null;
  return {
    check: async () => {
      last = await sweepQueueStatus(redis.url, sweepId);
      return last.counts.done + last.counts.failed === total;
    },
    last: () => last,
  };
}

/** Every planned run is in the store exactly once, done, with each epoch once. */
async function assertStoredOnce(plan: SweepPlan): Promise<void> {
  const runs = await store.listRuns({ sweepId: plan.sweepId });
  assert.deepEqual(runs.map((r) => r.id).sort(), plan.jobs.map((j) => j.request.runId).sort());
  for (const run of runs) {
    assert.equal(run.status, 'done', `${run.id}: ${run.error}`);
    assert.deepEqual(
      (await store.listEpochs(run.id)).map((e) => e.epoch),
      [1, 2],
      run.id,
    );
  }
}

async function assertSameAsLocal(plan: SweepPlan): Promise<void> {
  for (const job of plan.jobs) {
    const expected = reference.get(suffix(plan, job.request.runId));
    assert.ok(expected, `no reference for ${job.request.runId}`);
    assert.deepEqual(
      await results(store, job.request.runId),
      expected,
      `${job.request.runId} differs from the local sweep`,
    );
  }
}

/** Runs each worker trained to the end (event done, not skipped), by run id. */
function completions(workers: WorkerProcess[]): Map<string, string[]> {
  const byRun = new Map<string, string[]>();
  for (const w of workers) {
    for (const e of w.events)
      if (e.event === 'done' && e.end === 'done') byRun.set(e.runId, [...(byRun.get(e.runId) ?? []), e.worker]);
  }
  return byRun;
}

before(async () => {
  if (skip) return;
  redis = await startRedis();
  store = await openStore(config);
  // The reference: the same sweep definition through the local executor, into its own store.
  const localConfig = { ...config, sqlitePath: join(dir, 'local.db'), checkpointDir: join(dir, 'local-checkpoints') };
  const local = await openStore(localConfig);
  const plan = planSweep(definition('ref'), 'cpu');
  const { outcomes } = await submitSweep(
    local,
    plan,
    new LocalProcessExecutor({ workers: 2, env: configEnv(localConfig, process.env) }),
  );
  assert.deepEqual(
    outcomes.map((o) => o.status),
    plan.jobs.map(() => 'done'),
    JSON.stringify(outcomes),
  );
  for (const job of plan.jobs) reference.set(suffix(plan, job.request.runId), await results(local, job.request.runId));
  await local.close();
});

after(async () => {
  await store?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('6 runs over 3 workers: each stored exactly once, equal to the local sweep; resubmitting adds no jobs', {
  skip,
  timeout: 240_000,
}, async () => {
  const plan = planSweep(definition('q-main'), 'cpu');
  const workers = [1, 2, 3].map(() => startWorker(redis.url, workerEnv));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const first = await enqueueSweep(plan, { redisUrl: redis.url, store, config });
    assert.equal(first.added.length, 6);
    const again = await enqueueSweep(plan, { redisUrl: redis.url, store, config });
    assert.deepEqual(
      [again.added.length, again.alreadyQueued.length],
      [0, 6],
      'a second submission while the sweep runs adds nothing',
    );
    const done = sweepDone(plan.sweepId, 6);
    await waitFor('the sweep to finish', 200_000, done.check);
    const status = done.last()!;
    assert.deepEqual(status.counts, { waiting: 0, retrying: 0, active: 0, done: 6, failed: 0, missing: 0 });
    assert.equal(status.workers.length, 3, 'status lists the three connected workers');
    const names = new Set(workers.flatMap((w) => w.events.filter((e) => e.event === 'ready').map((e) => e.worker)));
    for (const run of status.runs)
      assert.ok(names.has(run.worker ?? ''), `${run.runId} done by a known worker (${run.worker})`);

    const trained = completions(workers);
    assert.deepEqual([...trained.keys()].sort(), plan.jobs.map((j) => j.request.runId).sort());
    for (const [runId, by] of trained) assert.equal(by.length, 1, `${runId} trained ${by.length} times`);
    assert.ok(new Set([...trained.values()].flat()).size >= 2, 'the work was shared between workers');
    await assertStoredOnce(plan);
    await assertSameAsLocal(plan);

    // Resubmitting the finished sweep adds no job, and the workers train nothing more.
    const resubmit = await enqueueSweep(plan, { redisUrl: redis.url, store, config });
    assert.deepEqual([resubmit.added.length, resubmit.alreadyQueued.length, resubmit.requeued.length], [0, 6, 0]);
    const counts = await sweepQueueStatus(redis.url, plan.sweepId);
    assert.equal(counts.counts.done, 6);
    // A queue that lost its jobs (another Redis database here) still queues nothing: the store says they are done.
    const fresh = await enqueueSweep(plan, { redisUrl: `${redis.url}/1`, store, config });
    assert.deepEqual([fresh.added.length, fresh.finished.length], [0, 6]);
    // Nothing waits, retries or runs in either queue, so no worker can train a run again.
    const nothingLeft = { waiting: 0, retrying: 0, active: 0, done: 6, failed: 0, missing: 0 };
    assert.deepEqual((await sweepQueueStatus(redis.url, plan.sweepId)).counts, nothingLeft);
    assert.deepEqual((await sweepQueueStatus(`${redis.url}/1`, plan.sweepId)).counts, nothingLeft);
    assert.equal([...completions(workers).values()].flat().length, 6, 'no run was trained again');
  } finally {
    await stopWorkers(workers);
  }
});

test('kill -9 a worker mid-run: another worker resumes from the checkpoint; each run once, equal to the local sweep', {
  skip,
  timeout: 300_000,
}, async () => {
  const plan = planSweep(definition('q-kill'), 'cpu');
  const workers = [1, 2, 3].map(() => startWorker(redis.url, workerEnv));
  try {
    await Promise.all(workers.map((w) => w.ready));
    await enqueueSweep(plan, { redisUrl: redis.url, store, config });
    // A tiny run lasts well under a second on a quiet machine: its training process is stopped
    // after its first checkpoint, so the kill lands mid-run whatever the timing.
    const {
      runId,
      worker: killed,
      pid: childPid,
    } = await freezeMidRun(
      workers,
      plan.jobs.map((j) => j.request.runId),
    );
    killed.kill('SIGKILL');
    await killed.exited;
    const killedRun = await store.getRun(runId);
    assert.equal(killedRun.status, 'running', 'killed mid-run');
    // The killed worker's training child, continued, notices within a batch and stops without writing.
    continueStopped(childPid);
    await waitFor(`training child ${childPid} to exit`, 30_000, async () => !isAlive(childPid));

    const done = sweepDone(plan.sweepId, 6);
    await waitFor('the sweep to finish after the kill', 240_000, done.check);
    const status = done.last()!;
    assert.deepEqual(status.counts, { waiting: 0, retrying: 0, active: 0, done: 6, failed: 0, missing: 0 });
    const survivors = workers.filter((w) => w !== killed);
    const taken = status.runs.find((r) => r.runId === runId)!;
    assert.ok(taken.starts >= 2, `${runId} was started again after the kill (starts ${taken.starts})`);
    assert.equal(taken.failedAttempts, 0, 'losing a worker does not spend an attempt');
    const resumed = survivors.flatMap((w) => w.events).filter((e) => e.event === 'resumed' && e.runId === runId);
    assert.equal(resumed.length, 1, `one survivor resumed ${runId}`);
    assert.match((resumed[0] as { message: string }).message, /from its checkpoint /);

    const trained = completions(workers);
    for (const job of plan.jobs)
      assert.equal(trained.get(job.request.runId)?.length, 1, `${job.request.runId} trained to the end exactly once`);
    assert.equal(
      trained.get(runId)!.some((w) => w.endsWith(`:${killed.pid}`)),
      false,
    );
    await assertStoredOnce(plan);
    await assertSameAsLocal(plan);
  } finally {
    continueStopped();
    await stopWorkers(workers);
  }
});

test('bad parameters fail once, visibly, with the reason; a stopped worker hands its run back', {
  skip,
  timeout: 240_000,
}, async () => {
  const bad = planSweep(
    { ...definition('q-bad'), values: [5], seeds: [1], train: { ...definition('x').train, epsilon: 5 } },
    'cpu',
  );
  const report = await enqueueSweep(bad, {
    redisUrl: redis.url,
    store,
    config,
    retry: { attempts: 4, backoffMs: 200 },
  });
  assert.equal(report.added.length, 1);
  const worker = startWorker(redis.url, workerEnv);
  try {
    await worker.ready;
    const done = sweepDone(bad.sweepId, 1);
    await waitFor('the bad run to fail', 60_000, done.check);
    // Failed for good: the worker says no retry follows, and the job is not in the retry (delayed) set.
    const failure = await worker.event((e) => e.event === 'failed');
    assert.deepEqual([failure.runId, failure.willRetry], [bad.jobs[0].request.runId, false]);
    const run = (await sweepQueueStatus(redis.url, bad.sweepId)).runs[0];
    assert.equal(run.state, 'failed');
    assert.equal(run.failedAttempts, 1, 'not retried');
    assert.match(run.reason ?? '', /epsilon/);
    assert.equal(worker.events.filter((e) => e.event === 'start').length, 0, 'rejected before any training started');

    // A job submitted for another store (here another SQLite file) is refused by this worker, once, with the reason.
    const otherConfig = { ...config, sqlitePath: join(dir, 'other.db') };
    const other = await openStore(otherConfig);
    const elsewhere = planSweep({ ...definition('q-elsewhere'), values: [5], seeds: [1] }, 'cpu');
    await enqueueSweep(elsewhere, { redisUrl: redis.url, store: other, config: otherConfig });
    await other.close();
    await waitFor('the misdirected run to fail', 60_000, sweepDone(elsewhere.sweepId, 1).check);
    const misdirected = (await sweepQueueStatus(redis.url, elsewhere.sweepId)).runs[0];
    assert.deepEqual([misdirected.state, misdirected.failedAttempts], ['failed', 1]);
    assert.match(misdirected.reason ?? '', /other\.db on .* but this worker writes to the SQLite file .*queue\.db/);
    await assert.rejects(store.getRun(misdirected.runId), "nothing written to the worker's store");

    // SIGTERM mid-run: the run is checkpointed and its job goes straight back to wait, attempt not spent.
    const base = definition('q-stop');
    const slow = planSweep(
      {
        ...base,
        values: [5],
        seeds: [3],
        data: { train: 1000, eval: 20, test: 0 },
        train: { ...base.train, freeSteps: 100 },
      },
      'cpu',
    );
    await enqueueSweep(slow, { redisUrl: redis.url, store, config });
    const slowRun = slow.jobs[0].request.runId;
    // The training process is stopped mid-run and continued only once the worker has asked it to
    // stop (its stop line: the job runner has sent the SIGTERM by then), so the stop lands mid-run
    // whatever the timing.
    const { pid: slowPid } = await freezeMidRun([worker], [slowRun]);
    worker.kill('SIGTERM');
    await waitFor('the worker to ask its training process to stop', 30_000, async () =>
      /SIGTERM: checkpointing the runs in hand/.test(worker.stderr()),
    );
    continueStopped(slowPid);
    assert.equal(await worker.exited, 0);
    assert.ok(
      worker.events.some((e) => e.event === 'requeued'),
      JSON.stringify(worker.events) + worker.stderr(),
    );
    const back = (await sweepQueueStatus(redis.url, slow.sweepId)).runs[0];
    assert.deepEqual([back.state, back.failedAttempts], ['waiting', 0]);
    assert.equal((await store.getRun(back.runId)).status, 'cancelled');
    const second = startWorker(redis.url, workerEnv);
    try {
      await waitFor(
        'the stopped run to finish on another worker',
        60_000,
        async () => (await sweepQueueStatus(redis.url, slow.sweepId)).counts.done === 1,
      );
      assert.ok(second.events.some((e) => e.event === 'resumed' && e.message.includes('from its checkpoint')));
      assert.deepEqual(
        (await store.listEpochs(back.runId)).map((e) => e.epoch),
        [1, 2],
      );
    } finally {
      await stopWorkers([second]);
    }
  } finally {
    continueStopped();
    await stopWorkers([worker]);
  }
});

test('refused setups: a Redis off this machine with the SQLite store, a bad URL, a store that does not answer', {
  skip,
  timeout: 90_000,
}, async () => {
  const plan = planSweep(definition('q-remote'), 'cpu');
  await assert.rejects(
    enqueueSweep(plan, { redisUrl: 'redis://10.255.255.1:6379', store, config }),
    (e: unknown) => e instanceof InputError && /Neo4j/.test(e.message),
  );
  await assert.rejects(store.getSweep(plan.sweepId));
  const cli = spawnSync(
    process.execPath,
    [repoPath('bin/eqprop.js'), 'worker', '--redis', 'redis://queue.example:6379'],
    { env: { ...process.env, ...workerEnv }, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /not on this machine.*SQLite.*expected the shared Neo4j store/s);
  const badUrl = spawnSync(
    process.execPath,
    [repoPath('bin/eqprop.js'), 'worker', '--redis', 'http://127.0.0.1:6379'],
    { env: { ...process.env, ...workerEnv }, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(badUrl.status, 2);
  assert.match(badUrl.stderr, /--redis: unsupported scheme/);
  // A worker whose store does not answer takes no jobs (it would fail them all).
  const noStore = spawnSync(
    process.execPath,
    [repoPath('bin/eqprop.js'), 'worker', '--redis', redis.url, '--store', 'neo4j'],
    { env: { ...process.env, ...workerEnv, NEO4J_URI: 'bolt://127.0.0.1:1' }, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(noStore.status, 1, noStore.stderr);
  assert.match(noStore.stderr, /cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:1/);
});

test('through the CLI: sweep --queue submits once, sweep status --redis shows the queue', {
  skip,
  timeout: 60_000,
}, async () => {
  const queueUrl = `${redis.url}/3`; // a database no worker listens on: the jobs stay waiting
  const env = { ...process.env, ...workerEnv };
  const eqprop = (...args: string[]) =>
    spawnSync(process.execPath, [repoPath('bin/eqprop.js'), ...args], { env, encoding: 'utf8', timeout: 30_000 });
  const sweepArgs = [
    'sweep',
    '--sizes',
    '784,8,10',
    '--mode',
    'add',
    '--n',
    '5,20',
    '--seeds',
    '1,2',
    '--train',
    '40',
    '--eval',
    '20',
    '--epochs',
    '1',
    '--batch-size',
    '10',
    '--name',
    'q-cli',
    '--queue',
    queueUrl,
  ];
  const first = eqprop(...sweepArgs);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /sweep q-cli: 4 run\(s\) queued/);
  const second = eqprop(...sweepArgs, '--json');
  assert.equal(second.status, 0, second.stderr);
  assert.ok(second.stdout.startsWith('{'), second.stdout);
  const report = JSON.parse(second.stdout) as { added: string[]; alreadyQueued: string[] };
  assert.deepEqual([report.added.length, report.alreadyQueued.length], [0, 4]);

  const text = eqprop('sweep', 'status', 'q-cli', '--redis', queueUrl);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /4 runs — 4 waiting, 0 retrying, 0 active, 0 done, 0 failed/);
  assert.match(text.stdout, /q-cli\.n5\.s1\s+waiting/);
  const json = JSON.parse(eqprop('sweep', 'status', 'q-cli', '--redis', queueUrl, '--json').stdout) as SweepQueueStatus;
  assert.equal(json.counts.waiting, 4);
  assert.deepEqual(
    json.runs.map((r) => r.runId),
    ['q-cli.n20.s1', 'q-cli.n20.s2', 'q-cli.n5.s1', 'q-cli.n5.s2'],
  );

  const unknown = eqprop('sweep', 'status', 'no-such-sweep', '--redis', queueUrl);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no sweep "no-such-sweep" was submitted to the queue/);
  // Refused before anything exists: not even the SQLite file is created.
  const untouched = join(dir, 'never.db');
  const remote = spawnSync(
    process.execPath,
    [repoPath('bin/eqprop.js'), ...sweepArgs.slice(0, -1), 'redis://10.255.255.1:6379'],
    { env: { ...env, EQPROP_DB: untouched }, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(remote.status, 2, remote.stderr);
  assert.match(remote.stderr, /is not on this machine/);
  assert.equal(existsSync(untouched), false);
  const noRedis = eqprop('sweep', 'status', 'q-cli', '--redis', 'redis://127.0.0.1:1');
  assert.equal(noRedis.status, 1);
  assert.match(noRedis.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
});
