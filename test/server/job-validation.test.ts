/**
 * Issue 14: a job body the CLI would refuse is refused by the API at once, 400 naming the API
 * field, before any process starts and before anything is written (it used to be 202, then a job
 * failing with exit 2, sometimes leaving a topology, a failed run or a sweep behind). And the
 * configuration the route validates is the one the child gets, carried over faithfully (issue 24:
 * as a typed request, `--request <json>`, no longer as flags).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { buildTopology } from '../../graph/index.js';
import { sweepJob, sweepJobArgs, trainJobArgs, trainJobRequest } from '../../server/jobs/job-requests.js';
import { sweepJobBody, trainJobBody } from '../../server/schemas.js';
import { parseRunRequestJson } from '../../cli/run-flags.js';
import { sweepFromJson } from '../../cli/sweep-flags.js';
import { assertRefused as assertRefusedBy, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let db: Database.Database;
/** A stored topology that is not MNIST-shaped (6 inputs, 3 outputs). */
let smallTopologyId: string;

before(async () => {
  server = await startTestServer();
  const small = buildTopology({ sizes: [6, 4, 3], mode: 'layered', seed: 0 });
  smallTopologyId = await server.context.store.saveTopology(small);
  db = new Database(server.context.config.sqlitePath, { readonly: true, fileMustExist: true });
});
after(async () => {
  db?.close();
  await server?.stop();
});

const training = { epochs: 1, train: 40, eval: 20 };
const mnistNet = (sizes: number[], rest: Record<string, unknown> = {}) => ({
  topology: { sizes, seed: 0, ...rest },
  ...training,
});
const layered = mnistNet([784, 4, 10], { mode: 'layered' });

const refusedTrainBodies: [string, Record<string, unknown>, string][] = [
  ['input layer of 6, not 784', mnistNet([6, 4, 10], { mode: 'layered' }), 'topology.sizes'],
  ['output layer of 3, not 10', mnistNet([784, 4, 3], { mode: 'layered' }), 'topology.sizes'],
  ['layered with p', mnistNet([784, 4, 10], { mode: 'layered', p: 0.1 }), 'topology.p'],
  ['p beyond the free pairs (784-10 has none)', mnistNet([784, 10], { mode: 'replace', p: 0.5 }), 'topology.p'],
  ['n beyond the free pairs', mnistNet([784, 2, 10], { mode: 'add', n: 7841 }), 'topology.n'],
  ['train: 1 is less than one batch', { ...layered, train: 1 }, 'train'],
  ['rate and per-layer rates', { ...layered, rate: 0.1, rates: 'per-layer' }, 'rate'],
  // Issue 26 A3: a finite extreme the arithmetic cannot take (it failed after one batch, leaving a failed run).
  ['beta 5e-324', { ...layered, beta: 5e-324 }, 'beta'],
  ['epsilon 5e-324 is fine, beta 1e-7 is not', { ...layered, epsilon: 5e-324, beta: 1e-7 }, 'beta'],
];

const sweepBody = { sizes: [784, 2, 10], mode: 'replace', p: [0, 0.1], seeds: [1], ...training };
const refusedSweepBodies: [string, Record<string, unknown>, string][] = [
  ['a name with /', { ...sweepBody, name: 'a/b' }, 'name'],
  ['a name with a leading -', { ...sweepBody, name: '-rf' }, 'name'],
  ['p beyond the free pairs', { ...sweepBody, p: [0, 1] }, 'p'],
  ['n beyond the free pairs', { ...sweepBody, p: undefined, mode: 'add', n: [5, 7841] }, 'n'],
  ['input layer of 6, not 784', { ...sweepBody, sizes: [6, 2, 10] }, 'sizes'],
  ['output layer of 3, not 10', { ...sweepBody, sizes: [784, 2, 3] }, 'sizes'],
  ['a value twice', { ...sweepBody, p: [0.1, 0.1] }, 'p'],
  ['train below one batch', { ...sweepBody, train: 5 }, 'train'],
];

const assertRefused = (path: string, what: string, body: Record<string, unknown>, field: string) =>
  assertRefusedBy(server, db, path, what, body, field);

for (const [what, body, field] of refusedTrainBodies) {
  test(`POST /api/jobs/train refuses ${what}: 400 ${field}, nothing started or written`, async () => {
    await assertRefused('/api/jobs/train', what, body, field);
  });
}

for (const [what, body, field] of refusedSweepBodies) {
  test(`POST /api/jobs/sweep refuses ${what}: 400 ${field}, nothing started or written`, async () => {
    await assertRefused('/api/jobs/sweep', what, body, field);
  });
}

test('POST /api/jobs/train refuses a stored topology that is not MNIST-shaped, by its short id too', async () => {
  const body = { topologyId: smallTopologyId, ...training };
  await assertRefused('/api/jobs/train', 'stored 6-4-3', body, 'topologyId');
  const byPrefix = { ...body, topologyId: smallTopologyId.slice(0, 8) };
  await assertRefused('/api/jobs/train', 'stored 6-4-3 by prefix', byPrefix, 'topologyId');
});

test('the request the route validates carries the body over: the CLI reads back the same run', async () => {
  const body = trainJobBody.parse({
    topology: { sizes: [784, 2, 10], mode: 'replace', p: 0.25, seed: 4 },
    seed: 9,
    epochs: 2,
    train: 60,
    eval: 30,
    batchSize: 15,
    freeSteps: 7,
    clampedSteps: 3,
    epsilon: 0.25,
    beta: 0.5,
    rates: 'per-layer',
    ratesAs: 'authors-code',
    backend: 'cpu',
  });
  const noStore = { getTopology: () => Promise.reject(new Error('an inline topology reads no store')) };
  const request = await trainJobRequest(body, { store: noStore, backend: 'auto' });
  // What the child gets: `eqprop train --request <json>`, read back by the CLI as the same run.
  const args = trainJobArgs(request);
  assert.equal(args[0], '--request');
  const { config } = parseRunRequestJson(args[1]!);
  assert.deepEqual(config, request.config);
  assert.ok(config.topology.kind === 'spec');
  const { spec } = config.topology;
  assert.deepEqual([spec.sizes, spec.mode, spec.seed], [[784, 2, 10], 'replace', 4]);
  assert.deepEqual([config.epochs, config.data.train, config.data.eval, config.backend], [2, 60, 30, 'cpu']);
  const t = config.train;
  assert.deepEqual(
    [t.seed, t.batchSize, t.freeSteps, t.clampedSteps, t.epsilon, t.beta, t.ratesAs],
    [9, 15, 7, 3, 0.25, 0.5, 'authors-code'],
  );
  assert.deepEqual(t.learningRates, [0.008, 0.002], 'per-layer rates for two pairs');
  const single = trainJobBody.parse({ topologyId: 'topo-x', epochs: 1, train: 40, eval: 20, rate: 0.05 });
  const stored = { getTopology: async (id: string) => ({ id, spec: { sizes: [784, 2, 10] } }) as never };
  const fromStore = await trainJobRequest(single, { store: stored, backend: 'auto' });
  assert.deepEqual(fromStore.config.topology, { kind: 'stored', id: 'topo-x' });
  assert.deepEqual([fromStore.config.epochs, fromStore.config.data.train, fromStore.config.data.eval], [1, 40, 20]);
  assert.deepEqual(fromStore.config.train.learningRates, [0.05]);
});

test("a sweep body planned from its flags has the body's values, seeds and baseline", () => {
  const body = sweepJobBody.parse({
    name: 's1',
    sizes: [784, 2, 10],
    mode: 'add',
    n: [0, 5, 9],
    seeds: [2, 3],
    baseline: true,
    workers: 2,
    ...training,
  });
  const { settings, plan, workers } = sweepJob(body, 'auto');
  assert.equal(plan.sweepId, 's1');
  assert.deepEqual(plan.definition.values, [0, 5, 9]);
  assert.deepEqual(plan.definition.seeds, [2, 3]);
  assert.equal(plan.jobs.length, 2 * (3 + 1), 'three values and the baseline per seed');
  const args = sweepJobArgs(settings, workers);
  assert.deepEqual(args.slice(args.indexOf('--workers'), args.indexOf('--workers') + 2), ['--workers', '2']);
  // The child reads the settings back as the same sweep, baseline included.
  const { definition } = sweepFromJson(args[args.indexOf('--request') + 1]!);
  assert.deepEqual(definition, plan.definition);
  assert.equal(definition.baseline, true);
});
