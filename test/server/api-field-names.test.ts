/** API errors name the API's own fields, never CLI flags, and say plainly when a number is not one. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

test('a spec refused by the topology layer names body fields (n, p), not --n / --p', async () => {
  const r = await server.api('/api/topologies', { body: { sizes: [20, 10, 5], mode: 'replace', seed: 1 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'n');
  assert.doesNotMatch(JSON.stringify(r.body), /--/);
  assert.match(r.body.error, /mode replace needs n or p/);
});

test('sizes with a non-number says "sizes.1: \'abc\' is not a number"', async () => {
  const r = await server.api('/api/topologies', { body: { sizes: [20, 'abc', 5], mode: 'layered', seed: 1 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'sizes.1');
  assert.match(r.body.error, /sizes\.1: 'abc' is not a number/);
  const nulled = await server.api('/api/topologies', { body: { sizes: [20, null, 5], mode: 'layered', seed: 1 } });
  assert.match(nulled.body.error, /sizes\.1: null is not a number/);
});

test('named query "p between 5 and 10 %" finds a net built as p = 5 % whose stored p rounds below 5 %', async () => {
  const { buildTopology } = await import('../../graph/index.js');
  // On 784-8-10, p = 0.05 becomes n = 327, stored as p = 0.049966…
  const built = buildTopology({ sizes: [784, 8, 10], mode: 'replace', p: 0.05, seed: 1 });
  assert.ok(built.spec.p < 0.05);
  const id = await server.context.store.saveTopology(built, { id: 'topo-p5-rounded-down' });
  const r = await server.api('/api/queries/paper-range');
  assert.equal(r.status, 200);
  const ids = (r.body.topologies as { id: string }[]).map((t: { id: string }) => t.id);
  assert.ok(ids.includes(id), JSON.stringify(r.body).slice(0, 300));
});
