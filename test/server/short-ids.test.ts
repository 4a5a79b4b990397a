/**
 * Short ids in the API: a unique prefix works in path ids and in query filters, an ambiguous one
 * is a 400 naming the API field and listing the matches, an unknown one stays a 404.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildTopology } from '../../graph/index.js';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  const store = server.context.store;
  const topology = buildTopology({ sizes: [4, 3, 2], mode: 'layered', seed: 1 });
  const topologyId = await store.saveTopology(topology, { id: 'topo-short-ids' });
  await store.createSweep({ id: 'sweep-short', config: {} });
  for (const id of ['5ad6b782-aaaa', '5ad6c111-bbbb', '91c0e4aa-cccc']) {
    const sweepId = id.startsWith('5ad6') ? 'sweep-short' : null;
    await store.createRun({ id, topologyId, sweepId, config: { epochs: 1 }, seed: 1 });
  }
});
after(async () => {
  await server.stop();
});

test('GET /api/runs/:id, /api/sweeps/:id and /api/topologies/:id take a unique prefix', async () => {
  const run = await server.api('/api/runs/91c0e4aa');
  assert.equal(run.status, 200);
  assert.equal(run.body.id, '91c0e4aa-cccc');
  assert.equal((await server.api('/api/runs/91c0e4aa/epochs')).status, 200);
  assert.equal((await server.api('/api/sweeps/sweep-sh')).body.sweep.id, 'sweep-short');
  assert.equal((await server.api('/api/topologies/topo-sho')).body.id, 'topo-short-ids');
  const filtered = await server.api('/api/runs?sweepId=sweep-sh');
  assert.deepEqual(filtered.body.map((r: { id: string }) => r.id).sort(), ['5ad6b782-aaaa', '5ad6c111-bbbb']);
});

test('an ambiguous prefix is a 400 that lists the matches; an unknown id a 404', async () => {
  const ambiguous = await server.api('/api/runs/5ad6');
  assert.equal(ambiguous.status, 400);
  assert.equal(ambiguous.body.field, 'id');
  assert.match(ambiguous.body.error, /5ad6b782-aaaa, 5ad6c111-bbbb/);
  assert.equal((await server.api('/api/runs/ffffffff')).status, 404);
  assert.equal((await server.api('/api/runs/5ad')).status, 404, 'prefixes need 4 characters');
});

test('a DELETE takes full ids only: a prefix deletes nothing', async () => {
  const refused = await server.api('/api/topologies/topo-sho', { method: 'DELETE' });
  assert.equal(refused.status, 404);
  assert.equal(
    (await server.api('/api/topologies/topo-short-ids')).status,
    200,
    'the topology and its runs are still there',
  );
  assert.equal((await server.api('/api/runs/91c0e4aa-cccc')).status, 200);
});
