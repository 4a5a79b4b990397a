/**
 * The API the web workbench adds: a run's trained weights read from its checkpoint
 * (bounded, thresholded, strongest first; a run without an intact checkpoint is a 409 naming the id),
 * and metric filters that name an unknown metric (a 400 listing the valid names).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopology } from '../../graph/index.js';
import { writeCheckpointFile } from '../../engine/checkpoint.js';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let topologyId: string;
let dir: string;

before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'eqprop-weights-'));
  topologyId = await server.context.store.saveTopology(
    buildTopology({ sizes: [6, 4, 3], mode: 'add', n: 5, seed: 1 }),
    { name: 'fixture', metrics: { L: 1.9, C: 0.1 } },
  );
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A checkpoint with the sections the weights endpoint reads: one adjacent block and three skips. */
function writeSyntheticCheckpoint(path: string): void {
  const meta = {
    counters: { epoch: 2 },
    topology: {
      sizes: [2, 2, 2],
      offsets: [0, 2, 4],
      N: 6,
      skipCount: 3,
      blocks: [{ kind: 'adjacent', from: 0, to: 1, rows: 2, cols: 2, rateClass: 0 }],
    },
  };
  writeCheckpointFile(
    path,
    meta,
    new Map<string, Float32Array | Int32Array | Uint8Array>([
      ['block.0.weights', Float32Array.from([0.5, 0, -1, 0.25])],
      ['block.0.mask', Uint8Array.from([1, 0, 1, 1])],
      ['skip.src', Int32Array.from([0, 1, 4])],
      ['skip.dst', Int32Array.from([4, 5, 0])],
      ['skip.srcLayer', Uint8Array.from([0, 0, 2])],
      ['skip.dstLayer', Uint8Array.from([2, 2, 0])],
      ['skip.weight', Float32Array.from([0.1, -0.4, 0.2])],
    ]),
  );
}

test('weights: from the checkpoint, strongest first, thresholded and bounded', async () => {
  const runId = await server.context.store.createRun({ topologyId, config: {}, seed: 0 });
  const path = join(dir, 'run.ckpt');
  writeSyntheticCheckpoint(path);
  await server.context.store.updateRun(runId, { checkpoint: path });
  const all = await server.api(`/api/runs/${runId}/weights`);
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.equal(all.body.epoch, 2);
  assert.equal(all.body.totalSkip, 3);
  assert.deepEqual(all.body.skip.src, [1, 0, 0]);
  assert.deepEqual(all.body.skip.dst, [5, 4, 4], 'src < dst whatever the stored order');
  assert.deepEqual(
    all.body.skip.weight.map((w: number) => Number(w.toFixed(3))),
    [-0.4, 0.2, 0.1],
  );
  const adjacent = all.body.blocks.find((b: { kind: string }) => b.kind === 'adjacent');
  assert.deepEqual(
    { count: adjacent.count, meanAbs: adjacent.meanAbs, maxAbs: adjacent.maxAbs },
    { count: 3, meanAbs: (0.5 + 1 + 0.25) / 3, maxAbs: 1 },
    'masked entries only',
  );
  assert.equal(all.body.blocks.find((b: { kind: string }) => b.kind === 'skip').to, 2);
  const strong = await server.api(`/api/runs/${runId}/weights?minAbs=0.15&limit=1`);
  assert.equal(strong.body.matched, 2);
  assert.equal(strong.body.skip.weight.length, 1);
  assert.equal(strong.body.truncated, true);
  for (const bad of ['minAbs=-1', 'minAbs=abc', 'limit=0', 'limit=1000000']) {
    const r = await server.api(`/api/runs/${runId}/weights?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.match(r.body.field, /minAbs|limit/, bad);
  }
});

test('weights: a run without a checkpoint, or with a damaged one, is 409 naming the id; unknown run 404', async () => {
  const runId = await server.context.store.createRun({ topologyId, config: {}, seed: 1 });
  const none = await server.api(`/api/runs/${runId}/weights`);
  assert.equal(none.status, 409);
  assert.equal(none.body.field, 'id');
  assert.match(none.body.error, /no checkpoint/);
  const path = join(dir, 'damaged.ckpt');
  writeFileSync(path, 'not a checkpoint');
  await server.context.store.updateRun(runId, { checkpoint: path });
  const damaged = await server.api(`/api/runs/${runId}/weights`);
  assert.equal(damaged.status, 409);
  assert.match(damaged.body.error, /cannot be read/);
  assert.equal((await server.api('/api/runs/00000000-0000-4000-8000-000000000000/weights')).status, 404);
});

test("where with an unknown metric: 400 naming where, listing the valid names; the picker's stored names", async () => {
  const r = await server.api('/api/topologies?where=Lx:1:2');
  assert.equal(r.status, 400);
  assert.equal(r.body.field, 'where');
  assert.match(r.body.error, /unknown metric "Lx"/);
  assert.match(r.body.expected, /\bL\b/);
  assert.deepEqual((await server.api('/api/topologies/metric-names')).body, ['C', 'L']);
  assert.equal((await server.api('/api/topologies?where=L:1:2')).status, 200);
});
