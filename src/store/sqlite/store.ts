/**
 * The SQLite store (the default): one file, WAL journal so readers never block the writer,
 * busy_timeout so writers in other processes wait for the lock instead of failing, and every
 * logical write in one IMMEDIATE transaction (it takes the write lock up front, so two
 * processes never deadlock upgrading a read lock). Validation runs before the transaction.
 */
import { basename, dirname, join } from 'node:path';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { ResolvedSpec, Topology } from '../../../graph/index.js';
import { EqpropError, InputError, joinText, ref, text } from '../../../lib/index.js';
import { ensureDirectory } from '../../../lib/index.js';
import { countEdges } from '../../../graph/index.js';
import {
  NotFoundError,
  type CorrelationQuery,
  type CorrelationRow,
  type EpochResult,
  type IdEntity,
  type Metrics,
  type NewRun,
  type NewSweep,
  type RatePoint,
  type RunClaim,
  type RunFilter,
  type RunPatch,
  type RunRecord,
  type RunStatus,
  type Store,
  type SweepRecord,
  type TopologyFilter,
  type TopologyRecord,
} from '../contract.js';
import { decodeConnections, encodeConnections } from '../topology-codec.js';
import { newId, nowIso } from '../ids.js';
import {
  checkCorrelationQuery,
  checkEpoch,
  checkId,
  checkMetrics,
  checkName,
  checkNewRun,
  checkNewSweep,
  checkOptionalId,
  checkRates,
  checkRunClaim,
  checkRunFilter,
  checkRunPatch,
  checkTopology,
  checkTopologyFilter,
  offsetsOf,
} from '../validate.js';
import { migrate } from './migrations.js';

/**
 * A limited, metric-filtered list scans in creation order once this many matches per returned row
 * exist (each scanned row then matches with probability ≥ this × limit / stored); below it, it
 * reads the matches off the metric index. 10: both plans measured ≤ 0.3 ms at the switch with
 * 10,000 stored (docs/stores.md).
 */
const SCAN_MATCHES_PER_ROW = 10;

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 15_000;

interface TopologyRow {
  id: string;
  name: string | null;
  spec: string;
  neurons: number;
  adjacent: number;
  intralayer: number;
  skip: number;
  total: number;
  metrics: string;
  created_at: string;
}
interface RunRow {
  id: string;
  topology_id: string;
  sweep_id: string | null;
  config: string;
  seed: number;
  status: string;
  backend: string | null;
  checkpoint: string | null;
  error: string | null;
  worker: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}
interface EpochRow {
  epoch: number;
  train_error: number;
  eval_error: number;
  test_error: number | null;
  duration_ms: number;
  mean_free_steps: number | null;
  block_errors: string | null;
}

const TOPOLOGY_COLUMNS = `t.id, t.name, t.spec, t.neurons, t.adjacent, t.intralayer, t.skip, t.total, t.created_at,
  (SELECT json_group_object(m.name, m.value) FROM topology_metrics m WHERE m.topology_id = t.id) AS metrics`;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly db: Db;

  private constructor(path: string, db: Db) {
    this.location = path;
    this.db = db;
  }

  /**
   * Opens (creating the file and its directory if needed) and migrates. A file this process may
   * not write is opened read-only (listing works; writes are an InputError saying so); a file
   * that is not an SQLite database, or a damaged one, is an InputError naming it.
   */
  static open(path: string): SqliteStore {
    let db: Db;
    const readOnly = path !== ':memory:' && existsSync(path) && !writable(path);
    try {
      if (path !== ':memory:') ensureDirectory(dirname(path), 'sqlitePath');
      db = readOnly ? openReadOnly(path) : new Database(path, { timeout: BUSY_TIMEOUT_MS });
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new EqpropError(
        'store',
        `cannot open SQLite database ${path} (${(e as Error).message}); expected a writable file path as the ` +
          `sqlitePath setting`,
      );
    }
    try {
      if (!readOnly) db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      if (!readOnly) {
        db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
        migrate(db);
      } else {
        db.prepare('SELECT 1 FROM runs LIMIT 1').get(); // is it ours and readable?
      }
    } catch (e) {
      db.close();
      throw databaseError(path, e);
    }
    return new SqliteStore(path, db);
  }

  /** Runs fn in one IMMEDIATE transaction (all or nothing). */
  private write<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      throw databaseError(this.location, e);
    }
  }

  private requireExists(table: 'topologies' | 'runs' | 'sweeps', entity: string, id: string): void {
    const found = this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id);
    if (!found) throw new NotFoundError(entity, id);
  }

  async idsWithPrefix(entity: IdEntity, prefix: string, limit: number): Promise<string[]> {
    checkId('prefix', prefix);
    const table = ({ run: 'runs', sweep: 'sweeps', topology: 'topologies' } as const)[entity];
    // A range on the primary key rather than LIKE: LIKE is case-insensitive and treats _ and % as
    // wildcards, and the range uses the index. '\u{10FFFF}' sorts after every character (UTF-8 bytes).
    const rows = this.db
      .prepare(`SELECT id FROM ${table} WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`)
      .all(prefix, `${prefix}\u{10FFFF}`, limit) as { id: string }[];
    return rows.map((r) => r.id).filter((id) => id.startsWith(prefix));
  }

  // --- topologies ------------------------------------------------------------------------------

  async saveTopology(
    topology: Topology,
    options: { id?: string; name?: string | null; metrics?: Metrics } = {},
  ): Promise<string> {
    const id = checkOptionalId('id', options.id) ?? newId();
    checkTopology(topology);
    checkName('name', options.name);
    const metrics = checkMetrics('metrics', options.metrics ?? {});
    const counts = countEdges(topology);
    const blob = encodeConnections(topology);
    const { spec } = topology;
    return this.write(() => {
      if (this.db.prepare('SELECT 1 FROM topologies WHERE id = ?').get(id)) return id; // idempotent re-save
      this.db
        .prepare(`INSERT INTO topologies
          (id, name, mode, sizes, n, p, seed, spec, neurons, adjacent, intralayer, skip, total, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          id,
          options.name ?? null,
          spec.mode,
          JSON.stringify(topology.sizes),
          spec.n,
          spec.p,
          spec.seed,
          JSON.stringify(spec),
          topology.N,
          counts.adjacent,
          counts.intralayer,
          counts.skip,
          counts.total,
          nowIso(),
        );
      this.db.prepare('INSERT INTO topology_connections (topology_id, data) VALUES (?, ?)').run(id, blob);
      this.upsertMetrics(id, metrics);
      return id;
    });
  }

  private upsertMetrics(id: string, metrics: Metrics): void {
    const stmt = this.db.prepare(`INSERT INTO topology_metrics (topology_id, name, value) VALUES (?, ?, ?)
      ON CONFLICT (topology_id, name) DO UPDATE SET value = excluded.value`);
    for (const [name, value] of Object.entries(metrics)) stmt.run(id, name, value);
  }

  async loadTopology(id: string): Promise<Topology> {
    checkId('id', id);
    const row = this.db
      .prepare(`SELECT t.spec, c.data AS connections FROM topologies t
      JOIN topology_connections c ON c.topology_id = t.id WHERE t.id = ?`)
      .get(id) as { spec: string; connections: Buffer } | undefined;
    if (!row) throw new NotFoundError('topology', id);
    const spec = JSON.parse(row.spec) as ResolvedSpec;
    const { edges, biases } = decodeConnections(row.connections);
    const sizes = [...spec.sizes];
    const offsets = offsetsOf(sizes);
    return { spec, sizes, offsets, N: offsets[sizes.length]!, edges, biases };
  }

  async getTopology(id: string): Promise<TopologyRecord> {
    checkId('id', id);
    const row = this.db.prepare(`SELECT ${TOPOLOGY_COLUMNS} FROM topologies t WHERE t.id = ?`).get(id) as
      | TopologyRow
      | undefined;
    if (!row) throw new NotFoundError('topology', id);
    return toTopologyRecord(row);
  }

  async listTopologies(filter: TopologyFilter = {}): Promise<TopologyRecord[]> {
    checkTopologyFilter(filter);
    // Every fragment below is a fixed string; values go in as parameters.
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.mode !== undefined) {
      where.push('t.mode = ?');
      params.push(filter.mode);
    }
    if (filter.sizes !== undefined) {
      where.push('t.sizes = ?');
      params.push(JSON.stringify(filter.sizes));
    }
    if (filter.seed !== undefined) {
      where.push('t.seed = ?');
      params.push(filter.seed);
    }
    for (const [column, range] of [
      ['t.p', filter.p],
      ['t.n', filter.n],
    ] as const) {
      if (range?.min !== undefined) {
        where.push(`${column} >= ?`);
        params.push(range.min);
      }
      if (range?.max !== undefined) {
        where.push(`${column} <= ?`);
        params.push(range.max);
      }
    }
    const metrics = Object.entries(filter.metrics ?? {});
    const scan = filter.limit !== undefined && metrics.length > 0 && this.manyMatch(metrics[0]!, filter.limit);
    for (const [name, range] of metrics) {
      // Only the bounds given go into the SQL, so the index range is exact ("? IS NULL OR" would
      // hide the bounds from the planner).
      const bounds =
        (range.min !== undefined ? ' AND m.value >= ?' : '') + (range.max !== undefined ? ' AND m.value <= ?' : '');
      // Many matches and a limit: walk topologies_created in order and probe each row's metric by
      // primary key, stopping at the limit (EXISTS). Otherwise read the matches off the
      // (name, value) index and sort them (IN). Work ≈ min(matches, limit × stored / matches).
      where.push(
        scan
          ? `EXISTS (SELECT 1 FROM topology_metrics m WHERE m.topology_id = t.id AND m.name = ?${bounds})`
          : `t.id IN (SELECT m.topology_id FROM topology_metrics m WHERE m.name = ?${bounds})`,
      );
      params.push(name, ...boundValues(range));
    }
    const sql = `SELECT ${TOPOLOGY_COLUMNS} FROM topologies t ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY t.created_at, t.id ${filter.limit !== undefined ? 'LIMIT ?' : ''}`;
    if (filter.limit !== undefined) params.push(filter.limit);
    return (this.db.prepare(sql).all(...params) as TopologyRow[]).map(toTopologyRecord);
  }

  /**
   * Whether at least SCAN_MATCHES_PER_ROW × limit topologies have this metric in range, counted
   * on the covering (name, value) index and stopped there, so it costs at most that many entries.
   */
  private manyMatch([name, range]: [string, { min?: number; max?: number }], limit: number): boolean {
    const cap = SCAN_MATCHES_PER_ROW * limit;
    const atLeast = range.min !== undefined ? 'AND m.value >= ?' : '';
    const atMost = range.max !== undefined ? 'AND m.value <= ?' : '';
    const found = this.db
      .prepare(`SELECT count(*) FROM (SELECT 1 FROM topology_metrics m WHERE m.name = ?
      ${atLeast} ${atMost} LIMIT ?)`)
      .pluck()
      .get(name, ...boundValues(range), cap) as number;
    return found >= cap;
  }

  async setTopologyMetrics(id: string, metrics: Metrics): Promise<void> {
    checkId('id', id);
    checkMetrics('metrics', metrics);
    this.write(() => {
      this.requireExists('topologies', 'topology', id);
      this.upsertMetrics(id, metrics);
    });
  }

  async deleteTopology(id: string): Promise<void> {
    checkId('id', id);
    this.write(() => {
      this.requireExists('topologies', 'topology', id);
      this.db.prepare('DELETE FROM topologies WHERE id = ?').run(id); // runs, epochs, rates, metrics cascade
    });
  }

  // --- sweeps ----------------------------------------------------------------------------------

  async createSweep(sweep: NewSweep): Promise<string> {
    checkNewSweep(sweep);
    const id = sweep.id ?? newId();
    this.write(() => {
      this.db
        .prepare('INSERT INTO sweeps (id, name, config, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
        .run(id, sweep.name ?? null, JSON.stringify(sweep.config), nowIso());
    });
    return id;
  }

  async getSweep(id: string): Promise<SweepRecord> {
    checkId('id', id);
    const row = this.db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as
      | { id: string; name: string | null; config: string; created_at: string }
      | undefined;
    if (!row) throw new NotFoundError('sweep', id);
    return { id: row.id, name: row.name, config: JSON.parse(row.config), createdAt: row.created_at };
  }

  async listSweeps(): Promise<SweepRecord[]> {
    const rows = this.db.prepare('SELECT * FROM sweeps ORDER BY created_at, id').all() as {
      id: string;
      name: string | null;
      config: string;
      created_at: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      config: JSON.parse(row.config),
      createdAt: row.created_at,
    }));
  }

  async deleteSweep(id: string): Promise<void> {
    checkId('id', id);
    this.write(() => {
      this.requireExists('sweeps', 'sweep', id);
      this.db.prepare('DELETE FROM sweeps WHERE id = ?').run(id); // its runs cascade; topologies stay
    });
  }

  // --- runs ------------------------------------------------------------------------------------

  async createRun(run: NewRun): Promise<string> {
    checkNewRun(run);
    const id = run.id ?? newId();
    this.write(() => {
      if (this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id)) return; // idempotent re-submit
      this.requireExists('topologies', 'topology', run.topologyId);
      if (run.sweepId) this.requireExists('sweeps', 'sweep', run.sweepId);
      this.db
        .prepare(
          `INSERT INTO runs (id, topology_id, sweep_id, config, seed, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          run.topologyId,
          run.sweepId ?? null,
          JSON.stringify(run.config),
          run.seed,
          run.status ?? 'queued',
          nowIso(),
        );
    });
    return id;
  }

  async getRun(id: string): Promise<RunRecord> {
    checkId('id', id);
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new NotFoundError('run', id);
    return toRunRecord(row);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    checkRunFilter(filter);
    // Only the filters given go into the SQL, so the planner can use runs_topology, runs_sweep,
    // runs_status or runs_created ("@x IS NULL OR" would hide them and scan the table).
    const where: string[] = [];
    if (filter.topologyId !== undefined) where.push('topology_id = @topologyId');
    if (filter.sweepId !== undefined) where.push('sweep_id = @sweepId');
    if (filter.status !== undefined) where.push('status = @status');
    const rows = this.db
      .prepare(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, id LIMIT @limit`)
      .all({
        ...(filter.topologyId !== undefined ? { topologyId: filter.topologyId } : {}),
        ...(filter.sweepId !== undefined ? { sweepId: filter.sweepId } : {}),
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        limit: filter.limit ?? -1,
      }) as RunRow[];
    return rows.map(toRunRecord);
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    checkId('id', id);
    checkRunPatch(patch);
    const columns: Record<keyof RunPatch, string> = {
      status: 'status',
      backend: 'backend',
      checkpoint: 'checkpoint',
      error: 'error',
      worker: 'worker',
      startedAt: 'started_at',
      finishedAt: 'finished_at',
    };
    const keys = (Object.keys(columns) as (keyof RunPatch)[]).filter((k) => patch[k] !== undefined);
    this.write(() => {
      this.requireExists('runs', 'run', id);
      if (keys.length === 0) return;
      const set = keys.map((k) => `${columns[k]} = @${k}`).join(', ');
      this.db
        .prepare(`UPDATE runs SET ${set} WHERE id = @id`)
        .run({ ...Object.fromEntries(keys.map((k) => [k, patch[k]])), id });
    });
  }

  async claimRun(id: string, claim: RunClaim): Promise<boolean> {
    checkId('id', id);
    checkRunClaim(claim);
    // One conditional UPDATE inside an IMMEDIATE transaction: the write lock is taken before the
    // status and worker are compared, so a second claimer (any process) sees the first's worker.
    return this.write(() => {
      this.requireExists('runs', 'run', id);
      const statuses = claim.expectedStatuses.map(() => '?').join(', ');
      const anyWorker = claim.expectedWorker === undefined ? 1 : 0;
      const { changes } = this.db
        .prepare(`UPDATE runs SET status = 'running', worker = ?, error = NULL, finished_at = NULL
        WHERE id = ? AND status IN (${statuses}) AND (? = 1 OR worker IS ?)`)
        .run(claim.worker, id, ...claim.expectedStatuses, anyWorker, claim.expectedWorker ?? null);
      return changes === 1;
    });
  }

  async deleteRun(id: string): Promise<void> {
    checkId('id', id);
    this.write(() => {
      this.requireExists('runs', 'run', id);
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
    });
  }

  // --- epochs and rates ------------------------------------------------------------------------

  async addEpoch(runId: string, e: EpochResult): Promise<void> {
    checkId('runId', runId);
    checkEpoch(e);
    this.write(() => {
      this.requireExists('runs', 'run', runId);
      this.db
        .prepare(`INSERT INTO epochs
          (run_id, epoch, train_error, eval_error, test_error, duration_ms, mean_free_steps, block_errors)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (run_id, epoch) DO UPDATE SET train_error = excluded.train_error, eval_error = excluded.eval_error,
          test_error = excluded.test_error, duration_ms = excluded.duration_ms,
          mean_free_steps = excluded.mean_free_steps, block_errors = excluded.block_errors`)
        .run(
          runId,
          e.epoch,
          e.trainError,
          e.evalError,
          e.testError ?? null,
          e.durationMs,
          e.meanFreeSteps ?? null,
          e.blockErrors ? JSON.stringify(e.blockErrors) : null,
        );
    });
  }

  async listEpochs(runId: string): Promise<EpochResult[]> {
    checkId('runId', runId);
    this.requireExists('runs', 'run', runId);
    const rows = this.db.prepare('SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch').all(runId) as EpochRow[];
    return rows.map((r) => ({
      epoch: r.epoch,
      trainError: r.train_error,
      evalError: r.eval_error,
      testError: r.test_error,
      durationMs: r.duration_ms,
      meanFreeSteps: r.mean_free_steps,
      blockErrors: r.block_errors === null ? null : (JSON.parse(r.block_errors) as number[]),
    }));
  }

  async addRates(runId: string, points: RatePoint[]): Promise<void> {
    checkId('runId', runId);
    checkRates(points);
    this.write(() => {
      this.requireExists('runs', 'run', runId);
      const stmt = this.db.prepare(`INSERT INTO rates (run_id, batch, pair, rate) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id, batch, pair) DO UPDATE SET rate = excluded.rate`);
      for (const p of points) stmt.run(runId, p.batch, p.pair, p.rate);
    });
  }

  async listRates(runId: string): Promise<RatePoint[]> {
    checkId('runId', runId);
    this.requireExists('runs', 'run', runId);
    return this.db
      .prepare('SELECT batch, pair, rate FROM rates WHERE run_id = ? ORDER BY batch, pair')
      .all(runId) as RatePoint[];
  }

  // --- analysis --------------------------------------------------------------------------------

  async correlationTable(query: CorrelationQuery = {}): Promise<CorrelationRow[]> {
    checkCorrelationQuery(query);
    const rows = this.db
      .prepare(`
      SELECT r.id AS run_id, r.topology_id, r.sweep_id, r.status, t.spec,
        (SELECT json_group_object(m.name, m.value) FROM topology_metrics m WHERE m.topology_id = t.id) AS metrics,
        (SELECT COALESCE(MAX(e.epoch), 0) FROM epochs e WHERE e.run_id = r.id) AS epochs,
        (SELECT e.train_error FROM epochs e WHERE e.run_id = r.id ORDER BY e.epoch DESC LIMIT 1) AS final_train,
        (SELECT e.eval_error FROM epochs e WHERE e.run_id = r.id ORDER BY e.epoch DESC LIMIT 1) AS final_eval,
        (SELECT e.train_error FROM epochs e WHERE e.run_id = r.id AND e.epoch = @epoch) AS train_at,
        (SELECT e.eval_error FROM epochs e WHERE e.run_id = r.id AND e.epoch = @epoch) AS eval_at
      FROM runs r JOIN topologies t ON t.id = r.topology_id
      WHERE (@sweepId IS NULL OR r.sweep_id = @sweepId)
      ORDER BY r.created_at, r.id`)
      .all({ sweepId: query.sweepId ?? null, epoch: query.epoch ?? null }) as {
      run_id: string;
      topology_id: string;
      sweep_id: string | null;
      status: string;
      spec: string;
      metrics: string;
      epochs: number;
      final_train: number | null;
      final_eval: number | null;
      train_at: number | null;
      eval_at: number | null;
    }[];
    return rows.map((r) => ({
      runId: r.run_id,
      topologyId: r.topology_id,
      sweepId: r.sweep_id,
      spec: JSON.parse(r.spec) as ResolvedSpec,
      metrics: JSON.parse(r.metrics) as Metrics,
      status: r.status as RunStatus,
      epochs: r.epochs,
      finalTrainError: r.final_train,
      finalEvalError: r.final_eval,
      trainErrorAt: r.train_at,
      evalErrorAt: r.eval_at,
    }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Damage is found where it lies, not at open: random bytes inside the file surface as
 * SQLITE_CORRUPT ("database disk image is malformed") from whichever query reads that page. So
 * every method, reads included, maps SQLite's errors about the file to the InputError naming it
 * (databaseError), the same message and exit code as a file that is damaged at its start.
 */
for (const name of Object.getOwnPropertyNames(SqliteStore.prototype)) {
  const method = (SqliteStore.prototype as unknown as Record<string, unknown>)[name];
  // The public methods are the async ones; private helpers (write, requireExists) stay synchronous.
  if (typeof method !== 'function' || method.constructor.name !== 'AsyncFunction') continue;
  Object.defineProperty(SqliteStore.prototype, name, {
    configurable: true,
    writable: true,
    value: async function (this: SqliteStore, ...args: unknown[]): Promise<unknown> {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } catch (e) {
        throw databaseError(this.location, e);
      }
    },
  });
}

/**
 * A database this process may only read. In WAL mode SQLite must create the -shm index beside
 * the file even to read; when that folder is not writable either, we read a snapshot copied to
 * the temporary folder (its files are unlinked once open, so nothing is left behind).
 */
function openReadOnly(path: string): Db {
  try {
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS, readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !(code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN')) throw e;
  }
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-readonly-'));
  const copy = join(dir, basename(path));
  try {
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    return db;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK); // the WAL and its index live beside the file
    return true;
  } catch {
    return false;
  }
}

/**
 * SQLite's own errors about the file (not a database, damaged, read-only) as InputErrors that
 * name the file and what to do; every other error passes unchanged.
 */
function databaseError(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string') return e;
  const field = `SQLite database ${path}`;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new InputError(
      'store',
      field,
      `not an SQLite database, or damaged (${(e as Error).message})`,
      joinText(
        text`an eqprop database: restore it from a backup, or point ${ref('sqlitePath')} at another file `,
        '(a missing one is created)',
      ),
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new InputError(
      'store',
      field,
      `cannot be written (${(e as Error).message}); listing still works`,
      text`write permission on ${path} and its folder (chmod u+w), or ${ref('sqlitePath')} pointing at a writable copy`,
    );
  }
  if (code === 'SQLITE_NOTFOUND' || /no such table/.test((e as Error).message)) {
    return new InputError(
      'store',
      field,
      `has no eqprop tables (${(e as Error).message})`,
      'a database written by eqprop',
    );
  }
  return e;
}

/** The given ends of a range, min first: the values for the `>= ?` / `<= ?` fragments emitted for them. */
function boundValues(range: { min?: number; max?: number }): number[] {
  return [...(range.min !== undefined ? [range.min] : []), ...(range.max !== undefined ? [range.max] : [])];
}

function toTopologyRecord(row: TopologyRow): TopologyRecord {
  return {
    id: row.id,
    name: row.name,
    spec: JSON.parse(row.spec) as ResolvedSpec,
    counts: { adjacent: row.adjacent, intralayer: row.intralayer, skip: row.skip, total: row.total },
    N: row.neurons,
    metrics: JSON.parse(row.metrics) as Metrics,
    createdAt: row.created_at,
  };
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    topologyId: row.topology_id,
    sweepId: row.sweep_id,
    config: JSON.parse(row.config),
    seed: row.seed,
    status: row.status as RunStatus,
    backend: row.backend,
    checkpoint: row.checkpoint,
    error: row.error,
    worker: row.worker,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
