/** API errors name the API's own fields, never CLI flags, and say plainly when a number is not one. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => { await server.stop(); });

test('a spec refused by the topology layer names body fields (n, p), not --n / --p', async () => {
  const r = await server.api('/api/topologies', { body: { sizes: [20, 10, 5], mode: 'replace', seed: 1 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'n');
  assert.doesNotMatch(JSON.stringify(r.body), /--/);
  assert.match(r.body.error, /mode replace needs n or p/);
});

test("sizes with a non-number says \"sizes.1: 'abc' is not a number\"", async () => {
  const r = await server.api('/api/topologies', { body: { sizes: [20, 'abc', 5], mode: 'layered', seed: 1 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'sizes.1');
  assert.match(r.body.error, /sizes\.1: 'abc' is not a number/);
  const nulled = await server.api('/api/topologies', { body: { sizes: [20, null, 5], mode: 'layered', seed: 1 } });
  assert.match(nulled.body.error, /sizes\.1: null is not a number/);
});
