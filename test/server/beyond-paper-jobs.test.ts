/**
 * The training options beyond the paper on the job API. A train or sweep body carries nudging,
 * targetFeedback, removeSkipsAfter, removeIntralayer and extraInit into the request the child gets
 * (a typed `--request <json>`, no longer flags) and so into the stored run configuration; bad
 * values are a 400 naming the API field, with nothing started or written; left out, the
 * configuration is the paper's, key for key.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { sweepJob, trainJobArgs, trainJobRequest } from '../../server/jobs/job-requests.js';
import { sweepJobBody, trainJobBody } from '../../server/schemas.js';
import { parseRunRequestJson } from '../../cli/run-flags.js';
import { assertRefused as assertRefusedBy, startServerWithDb, stopServerWithDb, type TestServer } from './helpers.js';

let server: TestServer;
let db: Database.Database;

before(async () => {
  ({ server, db } = await startServerWithDb());
});
after(() => stopServerWithDb(server, db));

const training = { epochs: 2, train: 40, eval: 20 };
/** Two hidden layers (h1, h2): pairs = 3, so target feedback may reach layers 1 and 2 only. */
const trainBody = { topology: { sizes: [784, 4, 4, 10], mode: 'replace', p: 0.1, seed: 0 }, ...training };
const sweepBody = { sizes: [784, 4, 4, 10], mode: 'replace', p: [0, 0.1], seeds: [1], ...training };

const ALL_OPTIONS = {
  nudging: 'symmetric',
  targetFeedback: '2,1:0.5:0.02',
  removeSkipsAfter: 1,
  removeIntralayer: true,
  extraInit: 'uniform:0.1',
} as const;

const refused: [string, Record<string, unknown>, string][] = [
  ['nudging that is not a choice', { nudging: 'both' }, 'nudging'],
  ['target feedback into the output layer (3)', { targetFeedback: '3:0.1' }, 'targetFeedback'],
  ['target feedback without a density', { targetFeedback: '1' }, 'targetFeedback'],
  ['target feedback of density 0', { targetFeedback: '1:0' }, 'targetFeedback'],
  ['target feedback with a layer twice', { targetFeedback: '1,1:0.1' }, 'targetFeedback'],
  ['target feedback as a number', { targetFeedback: 1 }, 'targetFeedback'],
  ['removeSkipsAfter below 0', { removeSkipsAfter: -1 }, 'removeSkipsAfter'],
  ['removeSkipsAfter not an integer', { removeSkipsAfter: 1.5 }, 'removeSkipsAfter'],
  ['removeIntralayer without removeSkipsAfter', { removeIntralayer: true }, 'removeIntralayer'],
  ['removeIntralayer not a boolean', { removeSkipsAfter: 1, removeIntralayer: 'yes' }, 'removeIntralayer'],
  ['extraInit of an unknown kind', { extraInit: 'normal:0.1' }, 'extraInit'],
  ['extraInit uniform with a negative bound', { extraInit: 'uniform:-1' }, 'extraInit'],
];

const assertRefused = (path: string, what: string, body: Record<string, unknown>, field: string) =>
  assertRefusedBy(server, db, path, what, body, field);

for (const [what, extra, field] of refused) {
  test(`POST /api/jobs/train refuses ${what}: 400 ${field}`, async () => {
    await assertRefused('/api/jobs/train', what, { ...trainBody, ...extra }, field);
  });
  test(`POST /api/jobs/sweep refuses ${what}: 400 ${field}`, async () => {
    await assertRefused('/api/jobs/sweep', what, { ...sweepBody, ...extra }, field);
  });
}

const noStore = { getTopology: () => Promise.reject(new Error('an inline topology reads no store')) };
const requestOf = (body: Record<string, unknown>) =>
  trainJobRequest(trainJobBody.parse(body), { store: noStore, backend: 'auto' });

test("a train body's options reach the run configuration the CLI reads from the child's request", async () => {
  const request = await requestOf({ ...trainBody, ...ALL_OPTIONS });
  const { config } = parseRunRequestJson(trainJobArgs(request)[1]!);
  const t = config.train;
  assert.equal(t.symmetricNudging, true);
  assert.deepEqual(t.targetFeedback, { layers: [1, 2], density: 0.5, scale: 0.02 });
  assert.equal(t.removeSkipsAfter, 1);
  assert.equal(t.removeIntralayer, true);
  assert.deepEqual(t.extraInit, { kind: 'uniform', a: 0.1 });
  // The child gets exactly the configuration the route checked.
  assert.deepEqual(config, request.config);
});

test("positive nudging is the paper's fixed β sign; removeIntralayer false sends no switch", async () => {
  const { config } = await requestOf({ ...trainBody, nudging: 'positive', removeIntralayer: false });
  assert.equal(config.train.randomBetaSign, false);
  assert.equal(config.train.symmetricNudging, undefined);
  assert.ok(!('removeIntralayer' in config.train), 'removeIntralayer false is not stored');
});

test("without the options (or with random-sign nudging) the configuration is the paper's, key for key", async () => {
  const plain = await requestOf(trainBody);
  const explicit = await requestOf({ ...trainBody, nudging: 'random-sign' });
  assert.deepEqual(explicit.config, plain.config);
  for (const key of ['symmetricNudging', 'targetFeedback', 'removeSkipsAfter', 'removeIntralayer', 'extraInit']) {
    assert.ok(!(key in plain.config.train), `${key} stored although not asked for`);
  }
  const sweep = (extra: Record<string, unknown>) =>
    sweepJob(sweepJobBody.parse({ ...sweepBody, ...extra }), 'auto').plan;
  assert.equal(sweep({ nudging: 'random-sign' }).sweepId, sweep({}).sweepId, 'an unnamed sweep keeps its id');
  assert.notEqual(sweep({ extraInit: 'zero' }).sweepId, sweep({}).sweepId, 'an option is part of its identity');
});

test("a sweep body's options reach every planned run", () => {
  const { plan } = sweepJob(sweepJobBody.parse({ ...sweepBody, ...ALL_OPTIONS }), 'auto');
  assert.equal(plan.jobs.length, 2);
  for (const job of plan.jobs) {
    const t = job.request.config.train;
    assert.deepEqual([t.symmetricNudging, t.removeSkipsAfter, t.removeIntralayer], [true, 1, true]);
    assert.deepEqual(t.targetFeedback, { layers: [1, 2], density: 0.5, scale: 0.02 });
    assert.deepEqual(t.extraInit, { kind: 'uniform', a: 0.1 });
  }
});

test('the OpenAPI document describes the options and their syntax', async () => {
  const doc = (await server.api('/api/openapi.json')).body;
  for (const path of ['/api/jobs/train', '/api/jobs/sweep']) {
    const props = doc.paths[path].post.requestBody.content['application/json'].schema.properties;
    assert.deepEqual(props.nudging.enum, ['random-sign', 'positive', 'symmetric'], path);
    assert.match(props.targetFeedback.description, /<layers>:<density>\[:<scale>\]/, path);
    assert.match(props.extraInit.description, /uniform:<a>.*zero.*glorot/, path);
    assert.equal(props.removeSkipsAfter.type, 'integer', path);
    assert.equal(props.removeIntralayer.type, 'boolean', path);
  }
});
