/**
 * The families through the API: a skip restriction or a budget the graph layer refuses is a 400
 * naming the API field (spanMin, targetLayer, skipBound, families, …), never a CLI flag, and
 * nothing is stored or started; a valid no-intralayer spec builds with its resolved bound.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type Database from 'better-sqlite3';
import { assertRefused, startServerWithDb, stopServerWithDb, type TestServer } from './helpers.js';

let server: TestServer;
let db: Database.Database;
before(async () => {
  ({ server, db } = await startServerWithDb());
});
after(() => stopServerWithDb(server, db));

const sizes = [6, 4, 4, 3];

test('hostile topology specs are refused naming the API field, with nothing stored', async () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['target beyond the net', { sizes, mode: 'no-intralayer', p: 0.1, targetLayer: 9 }, 'targetLayer'],
    ['span below 2', { sizes, mode: 'replace', n: 2, spanMin: 1 }, 'spanMin'],
    ['min above max', { sizes, mode: 'replace', n: 2, spanMin: 3, spanMax: 2 }, 'spanMax'],
    ['bound for Algorithm 1', { sizes, mode: 'replace', n: 2, skipBound: 0.1 }, 'skipBound'],
    ['more rewirings than the restriction allows', { sizes, mode: 'replace', n: 40, targetLayer: 3 }, 'n'],
    ['restriction on a layered net', { sizes, mode: 'layered', spanMin: 2 }, 'mode'],
  ];
  for (const [what, body, field] of cases) await assertRefused(server, db, '/api/topologies', what, body, field);
});

test('a study body with an unknown family is refused naming families', async () => {
  const body = { sizes: [784, 6, 6, 10], families: ['replace', 'small-world'], n: [2], train: 20, eval: 20, epochs: 1 };
  await assertRefused(server, db, '/api/jobs/sweep', 'unknown family', body, 'families');
});

test('a no-intralayer spec builds with its mean Glorot bound filled in', async () => {
  const r = await server.api('/api/topologies', { body: { sizes, mode: 'no-intralayer', p: 0.2, targetLayer: 3 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.spec.targetLayer, 3);
  assert.ok(r.body.spec.skipBound > 0.5 && r.body.spec.skipBound < 1.2, String(r.body.spec.skipBound));
});
