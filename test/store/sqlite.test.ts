/**
 * The store contract on a real SQLite file (a fresh temp file per run), plus what only SQLite
 * has: migrations applied once, and a second OS process writing at the same time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openStore } from '../../src/store/open.js';
import { loadConfig } from '../../src/config.js';
import { storeContract } from './contract.js';
import { idPrefixContract } from './id-prefix-contract.js';
import { concurrentEpoch, smallTopology } from './fixtures.js';
import { decodeConnections } from '../../src/store/topology-codec.js';

const dir = mkdtempSync(join(tmpdir(), 'eqprop-sqlite-'));
const dbPath = join(dir, 'nested', 'eqprop.db');

/** Runs the child writer script, compiled (.js) or under tsx (.ts), like this file. */
function spawnWriter(runId: string, count: number) {
  const ext = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./sqlite-writer-child${ext}`, import.meta.url));
  const args = ext === '.ts' ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, [...args, dbPath, runId, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '',
    err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (out.includes('started')) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited before starting: ${err}`)));
  });
  const finished = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) =>
      code === 0 && out.includes('done') ? resolve() : reject(new Error(`writer failed (${code}): ${err}`)),
    );
  });
  return { started, finished };
}

storeContract('sqlite', {
  open: async () => SqliteStore.open(dbPath),
  async concurrentEpochWriters(store, runA, runB, count) {
    const other = spawnWriter(runB, count);
    await other.started;
    for (let e = 1; e <= count; e++) await store.addEpoch(runA, concurrentEpoch(e));
    await other.finished;
  },
  teardown: async () => rmSync(dir, { recursive: true, force: true }),
});

idPrefixContract('sqlite', async () => SqliteStore.open(join(dir, 'prefixes.db')));

test('sqlite: migrations are recorded and applied once; WAL is on', async () => {
  const path = join(dir, 'migrations.db');
  (await SqliteStore.open(path)).close();
  (await SqliteStore.open(path)).close(); // second open must not re-apply
  const db = new Database(path, { readonly: true });
  try {
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    assert.deepEqual(
      versions,
      MIGRATIONS.map((m) => m.version),
    );
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    db.close();
  }
});

test('sqlite: openStore follows the config (EQPROP_DB) and creates the directory', async () => {
  const path = join(dir, 'from-config', 'sub', 'x.db');
  const config = loadConfig({}, { EQPROP_STORE: 'sqlite', EQPROP_DB: path });
  const store = await openStore(config);
  try {
    assert.equal(store.kind, 'sqlite');
    assert.equal(store.location, path);
    assert.ok(existsSync(path));
  } finally {
    await store.close();
  }
});

test('sqlite: a write that fails inside the database midway leaves nothing', async () => {
  const path = join(dir, 'midway.db');
  const store = SqliteStore.open(path);
  const db = new Database(path);
  try {
    // A real database-level failure on the LAST statement of saveTopology (the metrics), after the
    // topology row is already inserted in the same transaction.
    db.exec(`CREATE TRIGGER fail_metric BEFORE INSERT ON topology_metrics WHEN NEW.name = 'boom'
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await assert.rejects(
      store.saveTopology(smallTopology({ seed: 61 }), { id: 'midway', metrics: { L: 2, boom: 1 } }),
      /injected failure/,
    );
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
    assert.equal(count('topologies'), 0);
    assert.equal(count('topology_metrics'), 0);
  } finally {
    db.close();
    await store.close();
  }
});

/** test/store/fixtures/store-v2.db, from the sources (tsx) or from dist/test/store (compiled). */
function oldStoreFixture(): string {
  const here = fileURLToPath(new URL('./fixtures/store-v2.db', import.meta.url));
  return existsSync(here) ? here : fileURLToPath(new URL('../../../test/store/fixtures/store-v2.db', import.meta.url));
}

test('sqlite: a store written before migration 3 opens, migrates and reads back exactly', async () => {
  // store-v2.db was written by the code before this change (see fixtures/make-store-v2.mjs):
  // schema version 2, codec-1 blobs in topologies.connections.
  const path = join(dir, 'old-store.db');
  copyFileSync(oldStoreFixture(), path);
  const before = new Database(path, { readonly: true });
  const rows = before.prepare('SELECT id, connections FROM topologies').all() as { id: string; connections: Buffer }[];
  const blobs = new Map(rows.map((r) => [r.id, decodeConnections(r.connections)]));
  assert.deepEqual(before.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(), [1, 2]);
  before.close();
  assert.equal(blobs.size, 2);

  const store = SqliteStore.open(path);
  try {
    for (const [id, old] of blobs) {
      const loaded = await store.loadTopology(id);
      assert.deepEqual(
        loaded.edges,
        old.edges,
        `${id}: connections, order, kinds and weights as the old code wrote them`,
      );
      assert.deepEqual(loaded.biases, old.biases);
    }
    assert.deepEqual(
      (await store.listTopologies({ metrics: { L: { min: 3 } } })).map((t) => t.id),
      ['old-shuffled'],
    );
    assert.deepEqual((await store.getTopology('old-small')).metrics, { L: 2.5, C: 0.25 });
    assert.deepEqual(
      (await store.listRuns({ sweepId: 'old-sweep' })).map((r) => r.id),
      ['old-run'],
    );
    assert.deepEqual(
      (await store.listEpochs('old-run')).map((e) => e.blockErrors),
      [[0.5]],
    );
    await store.deleteTopology('old-small'); // cascades into the moved connections too
  } finally {
    await store.close();
  }
  const after = new Database(path, { readonly: true });
  try {
    const versionsApplied = after.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    assert.deepEqual(
      versionsApplied,
      MIGRATIONS.map((m) => m.version),
    );
    const columns = after.prepare("SELECT name FROM pragma_table_info('topologies')").pluck().all() as string[];
    assert.ok(!columns.includes('connections'), 'the blob column is gone from the rows lists scan');
    const versions = after.prepare('SELECT topology_id, hex(substr(data, 5, 1)) AS v FROM topology_connections').all();
    assert.deepEqual(
      versions,
      [{ topology_id: 'old-shuffled', v: '02' }],
      're-encoded with codec 2; the deleted topology left nothing',
    );
  } finally {
    after.close();
  }
});

test('sqlite: lists read only the small rows (the plans use the indexes, never the connections table)', async () => {
  const path = join(dir, 'plans.db');
  (await SqliteStore.open(path)).close();
  const db = new Database(path, { readonly: true });
  try {
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const metric = plan(
      `SELECT t.id FROM topologies t WHERE t.id IN (SELECT m.topology_id FROM topology_metrics m
      WHERE m.name = ? AND m.value >= ? AND m.value <= ?) ORDER BY t.created_at, t.id LIMIT 50`,
      'L',
      1,
      2,
    );
    assert.match(metric, /topology_metrics_by_value|topologies_created/);
    assert.doesNotMatch(metric, /topology_connections/);
    const byStatus = plan('SELECT * FROM runs WHERE status = ? ORDER BY created_at, id LIMIT 10', 'done');
    assert.match(byStatus, /runs_status|runs_created/);
    assert.match(plan('SELECT * FROM runs ORDER BY created_at, id LIMIT 10'), /runs_created/);
  } finally {
    db.close();
  }
});

test('sqlite: a limited metric filter gives the same rows scanning in order or reading the metric index', async () => {
  // With ≥ 10 × limit matches the store walks topologies in creation order (SCAN_MATCHES_PER_ROW);
  // with fewer it reads the metric index and sorts. Both must give the oldest matches first.
  const store = SqliteStore.open(join(dir, 'plans-equal.db'));
  try {
    const topology = smallTopology({ seed: 3 });
    for (let i = 0; i < 30; i++) {
      await store.saveTopology(topology, {
        id: `p${String(i).padStart(2, '0')}`,
        metrics: { L: (i * 0.618034) % 1, C: i },
      });
    }
    const all = (await store.listTopologies({ metrics: { L: { min: 0.2, max: 0.9 } } })).map((t) => t.id);
    assert.ok(all.length >= 20, 'enough matches for the scan with limit 2');
    for (const limit of [2, 5, 25]) {
      // 2: scan (≥ 20 matches); 5 and 25: the index
      const one = await store.listTopologies({ metrics: { L: { min: 0.2, max: 0.9 } }, limit });
      assert.deepEqual(
        one.map((t) => t.id),
        all.slice(0, limit),
        `limit ${limit}`,
      );
      const two = await store.listTopologies({ metrics: { L: { min: 0.2, max: 0.9 }, C: { max: 10 } }, limit });
      assert.deepEqual(
        two.map((t) => t.id),
        all.filter((id) => Number(id.slice(1)) <= 10).slice(0, limit),
        `limit ${limit}, two metrics`,
      );
    }
  } finally {
    await store.close();
  }
});
