/**
 * Bounded work: topology builds from the API have a size limit (checked before a worker starts),
 * at most k at once (429 beyond), a time limit (the worker is terminated, nothing saved), and end
 * with the server; unknown topology ids are 404 before any worker thread starts; one job cannot
 * run more training processes than the server's process budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { buildTopology } from '../../graph/index.js';
import { liveWorkers, workerLifecycle, workersStarted } from '../../server/run-worker.js';
import { resolveBuildLimits } from '../../server/build-limits.js';
import { InputError } from '../../lib/errors.js';
import { startTestServer } from './helpers.js';

/** Resolves once no worker thread is left running. */
async function workersExited(): Promise<void> {
  while (liveWorkers() > 0) await once(workerLifecycle, 'exit');
}

test('a build over the connection or neuron limit is 400 naming the field, before any worker starts', async () => {
  const server = await startTestServer({}, { buildLimits: { maxConnections: 100, maxNeurons: 40 } });
  try {
    const started = workersStarted();
    // 10-10-10 layered: 200 adjacent + 45 intralayer connections.
    const big = await server.api('/api/topologies', { body: { sizes: [10, 10, 10], mode: 'layered' } });
    assert.equal(big.status, 400, JSON.stringify(big.body));
    assert.equal(big.body.field, 'sizes');
    assert.match(big.body.error, /245 connections; expected at most 100/);
    // 8-6-3: 48 + 18 adjacent and 15 intralayer connections fit; add puts 20 more on top (101).
    const added = await server.api('/api/topologies', { body: { sizes: [8, 6, 3], mode: 'add', n: 20 } });
    assert.equal(added.status, 400, JSON.stringify(added.body));
    assert.equal(added.body.field, 'n');
    const wide = await server.api('/api/topologies', { body: { sizes: [30, 5, 10], mode: 'layered' } });
    assert.equal(wide.status, 400, JSON.stringify(wide.body));
    assert.match(wide.body.error, /45 neurons; expected at most 40/);
    assert.equal(workersStarted(), started, 'no worker thread was started for a refused build');
    assert.deepEqual(await server.context.store.listTopologies({ limit: 10 }), []);
    const small = await server.api('/api/topologies', {
      body: { sizes: [6, 4, 3], mode: 'add', n: 5, metrics: false },
    });
    assert.equal(small.status, 201, JSON.stringify(small.body));
  } finally {
    await server.stop();
  }
});

test('builds beyond the concurrency limit are 429; a build past its time limit stops, saving nothing', async () => {
  const server = await startTestServer({}, { buildLimits: { maxConcurrent: 1 } });
  try {
    // The first build keeps its slot, once its worker has built and saved, until the test lets it
    // go: the second request surely arrives while it is in flight, however fast the build is.
    const slots = server.context.builds;
    const run = slots.run.bind(slots);
    let built!: () => void, release!: () => void;
    const inFlight = new Promise<void>((resolve) => (built = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    slots.run = (work) =>
      run(async () => {
        const result = await work();
        built();
        await held;
        return result;
      });
    const body = { sizes: [30, 20, 10], mode: 'add', n: 40, metrics: true };
    const first = server.api('/api/topologies', { body: { ...body, seed: 1 } });
    await inFlight;
    const refused = await server.api('/api/topologies', { body: { ...body, seed: 2 } });
    assert.equal(refused.status, 429, JSON.stringify(refused.body));
    assert.equal(refused.body.field, 'builds');
    release();
    const answered = await first;
    assert.equal(answered.status, 201, JSON.stringify(answered.body));
    assert.equal((await server.context.store.listTopologies({ limit: 10 })).length, 1);
    // The slot is free again once the first build has answered.
    const third = await server.api('/api/topologies', { body: { ...body, seed: 3 } });
    assert.equal(third.status, 201, JSON.stringify(third.body));
  } finally {
    await server.stop();
  }
  const slow = await startTestServer({}, { buildLimits: { timeoutMs: 1 } });
  try {
    const r = await slow.api('/api/topologies', { body: { sizes: [30, 20, 10], mode: 'add', n: 40 } });
    assert.equal(r.status, 422, JSON.stringify(r.body));
    assert.match(r.body.error, /did not finish within/);
    await workersExited(); // the timed-out worker was terminated
    assert.deepEqual(await slow.context.store.listTopologies({ limit: 10 }), [], 'a stopped build saved nothing');
  } finally {
    await slow.stop();
  }
});

test('closing the server (SIGTERM) ends a build in progress instead of waiting for it', async () => {
  const server = await startTestServer();
  let closed = false;
  // A long build (small-world sampling over 900 neurons): a close that waited for it would see it answer 201.
  const heavy = { sizes: [300, 300, 300], mode: 'add', n: 2000, metrics: true, smallWorldSamples: 20 };
  const workerStarted = once(workerLifecycle, 'start');
  const request = server.api('/api/topologies', { body: heavy }).catch(() => null); // the connection is closed under it
  try {
    await workerStarted;
    assert.equal(liveWorkers(), 1, 'the build worker runs');
    await server.stop();
    closed = true;
    assert.equal(liveWorkers(), 0, 'the close terminated the worker');
    const answer = await request;
    assert.notEqual(answer?.status, 201, 'the build was ended, not finished');
  } finally {
    if (!closed) await server.stop();
  }
});

test('unknown topology ids are 404 before a worker thread starts', async () => {
  const server = await startTestServer();
  try {
    const started = workersStarted();
    for (const path of ['/api/topologies/nope/neurons/0', '/api/topologies/nope/graph']) {
      const r = await server.api(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.field, 'id');
    }
    assert.equal(workersStarted(), started);
    const id = await server.context.store.saveTopology(buildTopology({ sizes: [4, 3, 2], mode: 'layered', seed: 0 }));
    assert.equal((await server.api(`/api/topologies/${id}/neurons/0`)).status, 200);
    assert.equal(workersStarted(), started + 1, 'a known id does load in a worker');
  } finally {
    await server.stop();
  }
});

test('one job cannot run more training processes than the process budget', async () => {
  const server = await startTestServer({}, { maxRunningJobs: 2 });
  try {
    // Valid in every other respect (the CLI's own checks run first), so only the budget refuses it.
    const sweep = {
      sizes: [784, 2, 10],
      mode: 'add',
      n: [1, 2],
      workers: 3,
      epochs: 1,
      train: 10,
      eval: 10,
      batchSize: 10,
    };
    const r = await server.api('/api/jobs/sweep', { body: sweep });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.field, 'workers');
    assert.match(r.body.expected, /at most 2/);
    assert.deepEqual(server.context.jobs.list(), []);
    assert.deepEqual(await server.context.store.listSweeps(), []);
  } finally {
    await server.stop();
  }
});

test('build limits from the environment are validated', () => {
  assert.equal(resolveBuildLimits({}, { EQPROP_BUILD_MAX_CONNECTIONS: '500' }).maxConnections, 500);
  assert.equal(resolveBuildLimits({ maxConcurrent: 3 }, { EQPROP_BUILD_WORKERS: '2' }).maxConcurrent, 3);
  for (const bad of ['0', '-1', '1e6', '0x10', 'many']) {
    assert.throws(() => resolveBuildLimits({}, { EQPROP_BUILD_WORKERS: bad }), InputError, bad);
  }
});
