/**
 * The store contract on a real SQLite file (a fresh temp file per run), plus what only SQLite
 * has: migrations applied once, and a second OS process writing at the same time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
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

const dir = mkdtempSync(join(tmpdir(), 'eqprop-sqlite-'));
const dbPath = join(dir, 'nested', 'eqprop.db');

/** Runs the child writer script, compiled (.js) or under tsx (.ts), like this file. */
function spawnWriter(runId: string, count: number) {
  const ext = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./sqlite-writer-child${ext}`, import.meta.url));
  const args = ext === '.ts' ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, [...args, dbPath, runId, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => { if (out.includes('started')) resolve(); });
    child.on('exit', () => reject(new Error(`writer exited before starting: ${err}`)));
  });
  const finished = new Promise<void>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 && out.includes('done') ? resolve() : reject(new Error(`writer failed (${code}): ${err}`))));
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
    assert.deepEqual(versions, MIGRATIONS.map((m) => m.version));
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
    await assert.rejects(store.saveTopology(smallTopology({ seed: 61 }), { id: 'midway', metrics: { L: 2, boom: 1 } }), /injected failure/);
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();
    assert.equal(count('topologies'), 0);
    assert.equal(count('topology_metrics'), 0);
  } finally {
    db.close();
    await store.close();
  }
});
