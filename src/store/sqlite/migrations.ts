/**
 * Versioned schema migrations for the SQLite store. Each migration runs once, in order, inside
 * one IMMEDIATE transaction together with its row in `schema_migrations`, so two processes
 * opening a fresh file at the same time cannot both apply it. Append new migrations; never edit
 * one that has shipped.
 */
import type { Database } from 'better-sqlite3';
import { codecVersionOf, decodeConnections, encodeConnections } from '../topology-codec.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL cannot express, run after `sql` in the same transaction. */
  run?: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'topologies, metrics, sweeps, runs, epochs, rates',
    sql: `
      CREATE TABLE topologies (
        id            TEXT PRIMARY KEY,
        name          TEXT,
        mode          TEXT NOT NULL,
        sizes         TEXT NOT NULL,            -- JSON array, canonical (no spaces): exact-match filter
        n             REAL NOT NULL,
        p             REAL NOT NULL,
        seed          INTEGER NOT NULL,
        spec          TEXT NOT NULL,            -- the ResolvedSpec as JSON
        neurons       INTEGER NOT NULL,
        adjacent      INTEGER NOT NULL,
        intralayer    INTEGER NOT NULL,
        skip          INTEGER NOT NULL,
        total         INTEGER NOT NULL,
        connections   BLOB NOT NULL,            -- topology-codec blob: edges + biases
        created_at    TEXT NOT NULL
      );
      CREATE INDEX topologies_p ON topologies (p);
      CREATE INDEX topologies_n ON topologies (n);

      -- One row per (topology, metric): filters work on any metric name without schema changes.
      CREATE TABLE topology_metrics (
        topology_id TEXT NOT NULL REFERENCES topologies (id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        value       REAL NOT NULL,
        PRIMARY KEY (topology_id, name)
      ) WITHOUT ROWID;
      CREATE INDEX topology_metrics_by_value ON topology_metrics (name, value);

      CREATE TABLE sweeps (
        id         TEXT PRIMARY KEY,
        name       TEXT,
        config     TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        topology_id TEXT NOT NULL REFERENCES topologies (id) ON DELETE CASCADE,
        sweep_id    TEXT REFERENCES sweeps (id) ON DELETE CASCADE,
        config      TEXT NOT NULL,
        seed        INTEGER NOT NULL,
        status      TEXT NOT NULL,
        backend     TEXT,
        checkpoint  TEXT,
        error       TEXT,
        worker      TEXT,
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      );
      CREATE INDEX runs_topology ON runs (topology_id);
      CREATE INDEX runs_sweep ON runs (sweep_id);
      CREATE INDEX runs_status ON runs (status);

      CREATE TABLE epochs (
        run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        epoch           INTEGER NOT NULL,
        train_error     REAL NOT NULL,
        eval_error      REAL NOT NULL,
        test_error      REAL,
        duration_ms     REAL NOT NULL,
        mean_free_steps REAL,
        PRIMARY KEY (run_id, epoch)
      ) WITHOUT ROWID;

      CREATE TABLE rates (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        batch  INTEGER NOT NULL,
        pair   INTEGER NOT NULL,
        rate   REAL NOT NULL,
        PRIMARY KEY (run_id, batch, pair)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'epochs: training error per block of batches',
    sql: `ALTER TABLE epochs ADD COLUMN block_errors TEXT;  -- JSON array of fractions, or NULL`,
  },
  {
    version: 3,
    name: 'connections in their own table (codec 2); list indexes',
    // Lists scan `topologies`; with the blob in the row, every matching row cost a walk through
    // its overflow pages to reach created_at (docs/stores.md). Now the rows that lists read are
    // ~1 kB and the blobs live in a table only loadTopology reads.
    sql: `
      CREATE TABLE topology_connections (
        topology_id TEXT PRIMARY KEY REFERENCES topologies (id) ON DELETE CASCADE,
        data        BLOB NOT NULL              -- topology-codec blob (version 2; older stores' version 1 is read too)
      );
      CREATE INDEX topologies_created ON topologies (created_at, id);
      CREATE INDEX topologies_mode ON topologies (mode, created_at);
      CREATE INDEX topologies_sizes ON topologies (sizes, created_at);
      CREATE INDEX runs_created ON runs (created_at, id);
    `,
    run: moveConnections,
  },
];

/**
 * Migration 3: each topology's blob moves to topology_connections, re-encoded with codec version
 * 2 (≈ 3.6× smaller), and the column is dropped. One blob at a time, so memory stays at one
 * topology (a paper network's blob is 16.5 MB). The freed pages stay in the file for reuse; run
 * VACUUM to return them to the file system (docs/stores.md).
 */
function moveConnections(db: Database): void {
  const ids = db.prepare('SELECT id FROM topologies').pluck().all() as string[];
  const read = db.prepare('SELECT connections FROM topologies WHERE id = ?').pluck();
  const insert = db.prepare('INSERT INTO topology_connections (topology_id, data) VALUES (?, ?)');
  for (const id of ids) {
    const blob = read.get(id) as Buffer;
    insert.run(id, codecVersionOf(blob) === 1 ? encodeConnections(decodeConnections(blob)) : blob);
  }
  db.exec('ALTER TABLE topologies DROP COLUMN connections');
}

/** Applies the pending migrations; returns the versions applied now. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.transaction(() => {
    const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
    const now: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      now.push(m.version);
    }
    return now;
  });
  return applied.immediate();
}
