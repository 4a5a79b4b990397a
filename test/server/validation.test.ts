/**
 * Bad requests get 4xx JSON {error, field, expected} and the server keeps serving: wrong types,
 * out-of-range values, unknown keys, unknown ids, malformed and oversized bodies, unknown routes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTopology } from '../../graph/index.js';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let topologyId: string;

before(async () => {
  server = await startTestServer({}, { bodyLimit: '16kb' });
  // A real topology saved through the real store, for the id-based routes.
  topologyId = await server.context.store.saveTopology(
    buildTopology({ sizes: [6, 4, 3], mode: 'add', n: 5, seed: 1 }),
    { name: 'fixture', metrics: { L: 1.9 } },
  );
});
after(async () => {
  await server.stop();
});

function assertErrorShape(r: { status: number; body: any }, status: number, field?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(typeof r.body.error, 'string');
  assert.match(r.body.error, /^eqprop\//);
  assert.ok('field' in r.body && 'expected' in r.body);
  if (field !== undefined) assert.equal(r.body.field, field);
}

async function stillServes() {
  const r = await server.api('/api/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.ok, true);
}

test('wrong types in a build body → 400 naming the field', async () => {
  assertErrorShape(await server.api('/api/topologies', { body: { sizes: '784,10', mode: 'layered' } }), 400, 'sizes');
  assertErrorShape(
    await server.api('/api/topologies', { body: { sizes: [4, 3], mode: 'layered', seed: 'zero' } }),
    400,
    'seed',
  );
  assertErrorShape(await server.api('/api/topologies', { body: [1, 2] }), 400, 'body');
  await stillServes();
});

test('out-of-range values → 400 with what is accepted', async () => {
  const p = await server.api('/api/topologies', { body: { sizes: [4, 3, 2], mode: 'replace', p: 1.5 } });
  assertErrorShape(p, 400, 'p');
  assert.match(p.body.expected, /<= 1/);
  const zero = await server.api('/api/topologies', { body: { sizes: [4, 0], mode: 'layered' } });
  assertErrorShape(zero, 400, 'sizes.1');
  // The message names the field, the offending value and the accepted range, once each.
  assert.equal(zero.body.error, 'eqprop/server: sizes.1: is 0; expected a value >= 1');
  const missing = await server.api('/api/topologies', { body: { mode: 'layered' } });
  assert.match(missing.body.error, /sizes: is missing; expected /);
  assertErrorShape(await server.api('/api/topologies', { body: { sizes: [4], mode: 'layered' } }), 400, 'sizes');
  assertErrorShape(await server.api('/api/topologies', { body: { sizes: [4, 3], mode: 'sideways' } }), 400, 'mode');
  // Passes the schema, refused by the topology layer's own validation (n beyond the free pairs).
  const n = await server.api('/api/topologies', { body: { sizes: [3, 2, 2], mode: 'add', n: 10_000 } });
  assertErrorShape(n, 400, 'n'); // the API names its own field, not the CLI flag (issue 16)
  assertErrorShape(await server.api('/api/topologies?limit=0'), 400, 'query.limit');
  assertErrorShape(await server.api('/api/topologies?where=L:abc:2'), 400, 'query.where');
  assertErrorShape(await server.api('/api/runs?status=sleeping'), 400, 'query.status');
  assertErrorShape(
    await server.api('/api/jobs/train', { body: { topologyId, epochs: 0, train: 40, eval: 20 } }),
    400,
    'epochs',
  );
  assertErrorShape(
    await server.api('/api/jobs/train', { body: { epochs: 1, train: 40, eval: 20 } }),
    400,
    'topologyId',
  );
  assertErrorShape(
    await server.api('/api/jobs/sweep', { body: { sizes: [4, 3], mode: 'add', epochs: 1, train: 40, eval: 20 } }),
    400,
    'p',
  );
  await stillServes();
});

test('unknown keys are refused rather than silently ignored', async () => {
  const r = await server.api('/api/topologies', { body: { sizes: [4, 3], mode: 'layered', sed: 3 } });
  assertErrorShape(r, 400);
  assert.match(r.body.error, /sed/);
  assertErrorShape(await server.api('/api/runs?colour=red'), 400, 'query');
});

test('unknown ids → 404 JSON', async () => {
  assertErrorShape(await server.api('/api/topologies/no-such-topology'), 404, 'id');
  assertErrorShape(await server.api('/api/topologies/no-such-topology/graph'), 404, 'id');
  assertErrorShape(await server.api('/api/topologies/no-such-topology', { method: 'DELETE' }), 404, 'id');
  assertErrorShape(await server.api('/api/runs/nope'), 404, 'id');
  assertErrorShape(await server.api('/api/runs/nope/epochs'), 404, 'id');
  assertErrorShape(await server.api('/api/sweeps/nope'), 404, 'id');
  assertErrorShape(await server.api('/api/jobs/nope'), 404, 'id');
  assertErrorShape(await server.api('/api/jobs/nope/events'), 404, 'id');
  assertErrorShape(await server.api('/api/correlations?sweepId=nope'), 404, 'id');
  assertErrorShape(
    await server.api('/api/jobs/train', { body: { topologyId: 'nope', epochs: 1, train: 40, eval: 20 } }),
    404,
    'id',
  );
  // 6+4+3 = 13 neurons: 0…12.
  assertErrorShape(await server.api(`/api/topologies/${topologyId}/neurons/13`), 404, 'neuron');
  assertErrorShape(await server.api('/api/queries/no-such-query'), 404, 'name');
  assertErrorShape(await server.api('/api/no/such/route'), 404, 'path');
  await stillServes();
});

test('malformed and oversized bodies → 400 and 413 JSON', async () => {
  assertErrorShape(await server.api('/api/topologies', { rawBody: '{"sizes": [4, 3' }), 400, 'body');
  const big = JSON.stringify({ sizes: [4, 3], mode: 'layered', name: 'x'.repeat(20_000) });
  assertErrorShape(await server.api('/api/topologies', { rawBody: big }), 413, 'body');
  await stillServes();
});

test('the Cypher console is refused on the SQLite store', async () => {
  assertErrorShape(await server.api('/api/cypher', { body: { query: 'MATCH (n) RETURN n' } }), 409, 'store');
});

test('valid reads answer with the stored data', async () => {
  const one = await server.api(`/api/topologies/${topologyId}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.id, topologyId);
  assert.equal(one.body.N, 13);
  const list = await server.api('/api/topologies?where=L:1.5:2');
  assert.deepEqual(
    list.body.map((t: { id: string }) => t.id),
    [topologyId],
  );
  const none = await server.api('/api/topologies?where=L::1.5');
  assert.deepEqual(none.body, []);
  const neuron = await server.api(`/api/topologies/${topologyId}/neurons/0`);
  assert.equal(neuron.status, 200);
  assert.equal(neuron.body.layer, 0);
});

test('rate slices: from must be below to', async () => {
  const r = await server.api('/api/runs/whatever/rates?from=10&to=5');
  assertErrorShape(r, 400, 'query.from');
});
