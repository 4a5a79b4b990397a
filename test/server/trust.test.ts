/**
 * The trust checks (A1–A7) through the API: each hostile request is refused with a 4xx naming the
 * field (409 with the facts a client needs for conflicts) and leaves every row as it was.
 * A2 deletes respect running work; A4 names are text; A6 no silent drops; A7 a sweep cap.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { MAX_SWEEP_RUNS } from '../../src/experiments/plan/sweep-plan.js';
import { assertRefused, rowCounts, startServerWithDb, stopServerWithDb, type TestServer } from './helpers.js';

let server: TestServer;
let db: Database.Database;

before(async () => {
  ({ server, db } = await startServerWithDb());
});
after(() => stopServerWithDb(server, db));

const spec = (seed: number) => ({ sizes: [6, 4, 3], mode: 'layered', seed, metrics: false });

/** A request that must be answered `status` naming `field`, leaving every row as it was. */
async function refusedWith(status: number, path: string, init: { method?: string; body?: unknown }, field: string) {
  const before = rowCounts(db);
  const r = await server.api(path, init);
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.field, field, JSON.stringify(r.body));
  assert.match(r.body.error, /^eqprop\/[a-z]+: .*; expected /);
  assert.deepEqual(rowCounts(db), before, `${path}: rows changed`);
  return r.body;
}

test('A4: names with NUL, ESC or bidirectional overrides are refused, naming the field', async () => {
  for (const name of ['a\u0000b', 'clear\u001b[2J', 'abc\u202egnp.exe', 'iso\u2066late', 'del\u007f', 'c1\u0085']) {
    await refusedWith(400, '/api/topologies', { body: { ...spec(1), name } }, 'name');
  }
  const sweep = { sizes: [784, 2, 10], mode: 'replace', p: [0, 0.1], seeds: [1], epochs: 1, train: 40, eval: 20 };
  await assertRefused(server, db, '/api/jobs/sweep', 'bidi sweep name', { ...sweep, name: 'x\u202ey' }, 'name');
  // Plain text, accents and emoji included, is a name.
  const ok = await server.api('/api/topologies', { body: { ...spec(1), name: 'Réseau “1” 🧠' } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.name, 'Réseau “1” 🧠');
});

test('A6: an existing spec with another name is 409 with its id and name; the same or no name is 200', async () => {
  const first = await server.api('/api/topologies', { body: { ...spec(2), name: 'first' } });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const body = await refusedWith(409, '/api/topologies', { body: { ...spec(2), name: 'second' } }, 'name');
  assert.equal(body.id, first.body.id);
  assert.equal(body.name, 'first');
  assert.match(body.error, new RegExp(`topology ${first.body.id} .*already exists with the name "first"`));
  for (const again of [{ ...spec(2) }, { ...spec(2), name: 'first' }, { ...spec(2), name: null }]) {
    const before = rowCounts(db);
    const r = await server.api('/api/topologies', { body: again });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id, first.body.id);
    assert.equal(r.body.name, 'first');
    assert.deepEqual(rowCounts(db), before);
  }
  assert.equal((await server.api(`/api/topologies/${first.body.id}`)).body.name, 'first');
});

test(`A7: a sweep of more than ${MAX_SWEEP_RUNS} runs in one request is refused`, async () => {
  const p = Array.from({ length: 500 }, (_, i) => i / 1e6);
  const seeds = Array.from({ length: 50 }, (_, i) => i);
  await assertRefused(
    server,
    db,
    '/api/jobs/sweep',
    '25,000 runs',
    { sizes: [784, 32, 10], mode: 'replace', p, seeds, epochs: 1, train: 40, eval: 20 },
    'p',
  );
});

test('A2: DELETE of a topology with a running or queued run: 409 naming the runs; later checkpoints go', async () => {
  const { store } = server.context;
  const made = await server.api('/api/topologies', { body: spec(3) });
  assert.equal(made.status, 201);
  const topologyId = made.body.id as string;
  const checkpoint = join(server.dir, 'busy-run.ckpt');
  writeFileSync(checkpoint, 'a checkpoint');
  const config = { format: 1, note: 'rows only: nothing trains in this test' };
  await store.createRun({ id: 'busy-run', topologyId, config, seed: 1, status: 'running' });
  await store.updateRun('busy-run', { checkpoint });
  await store.createRun({ id: 'waiting-run', topologyId, config, seed: 2, status: 'queued' });
  await store.createRun({ id: 'finished-run', topologyId, config, seed: 3, status: 'done' });

  const body = await refusedWith(409, `/api/topologies/${topologyId}`, { method: 'DELETE' }, 'id');
  assert.deepEqual(body.runs, [
    { id: 'busy-run', status: 'running' },
    { id: 'waiting-run', status: 'queued' },
  ]);
  assert.match(body.error, /busy-run \(running\), waiting-run \(queued\)/);
  assert.ok(existsSync(checkpoint), 'the checkpoint of a refused delete stays');

  await store.updateRun('busy-run', { status: 'cancelled' });
  await refusedWith(409, `/api/topologies/${topologyId}`, { method: 'DELETE' }, 'id');
  await store.updateRun('waiting-run', { status: 'failed' });
  const deleted = await server.api(`/api/topologies/${topologyId}`, { method: 'DELETE' });
  assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
  assert.equal((await store.listRuns({ topologyId })).length, 0);
  assert.ok(!existsSync(checkpoint), "a deleted run's checkpoint is removed");
});
