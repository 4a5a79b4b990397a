/**
 * The trust checks (A1–A7, as in test/server/trust.test.ts) through the CLI: hostile input is
 * refused (exit 2, naming what was wrong) and leaves the store as it was. A2 `topology delete`
 * respects running work and removes checkpoints;
 * A4 names stored before names were checked print as text; A5 a database with random bytes
 * inside is the eqprop/store message, not an internal error; A7 the sweep cap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MAX_SWEEP_RUNS } from '../../src/experiments/plan/sweep-plan.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, runCli, TINY_TRAINING, tempDir } from '../experiments/helpers.js';
import { storeSnapshot } from './store-snapshot.js';

const TINY_RUN = ['train', '--sizes', '784,8,10', '--mode', 'layered', ...TINY_TRAINING, '--epochs', '1'];

test('A2: topology delete refuses while a run on it is running or queued, then removes runs, checkpoints', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const db = join(dir, 'eqprop.db');
    assert.equal((await runCli([...TINY_RUN, '--run-id', 'kept'], env)).code, 0);
    const store = SqliteStore.open(db);
    const run = await store.getRun('kept');
    await store.updateRun('kept', { status: 'running', finishedAt: null }); // as if it were training
    await store.close();
    assert.ok(existsSync(run.checkpoint!));

    const before = storeSnapshot(db);
    const refused = await runCli(['topology', 'delete', run.topologyId], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /^eqprop\/experiments: id: topology \S+ is used by 1 run\(s\) .*: kept \(running\); expected /,
    );
    assert.equal(storeSnapshot(db), before, 'the store changed');
    assert.ok(existsSync(run.checkpoint!), 'the checkpoint went');

    const again = SqliteStore.open(db);
    await again.updateRun('kept', { status: 'done' });
    await again.close();
    const deleted = await runCli(['topology', 'delete', run.topologyId], env);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /deleted topology \S+ and 1 run\(s\)/);
    assert.ok(!existsSync(run.checkpoint!), "the deleted run's checkpoint stayed on disk");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('A4: a name holding terminal commands prints escaped; --name refuses control characters', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const built = await runCli(['topology', 'build', '--sizes', '6,4,3', '--mode', 'layered', '--json'], env);
    assert.equal(built.code, 0, built.stderr);
    const { id } = JSON.parse(built.stdout) as { id: string };
    // A row written before names were checked (or by another tool).
    const raw = new Database(join(dir, 'eqprop.db'));
    raw.prepare('UPDATE topologies SET name = ? WHERE id = ?').run('x\u001b[2J\u202eevil\u0000', id);
    raw.close();
    const shown = await runCli(['topology', 'show', id], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.doesNotMatch(shown.stdout, /[\u0000\u001b\u202e]/, 'raw control characters reached the terminal');
    assert.ok(shown.stdout.includes('x\\u{1b}[2J\\u{202e}evil\\u{0}'), shown.stdout);

    const before = storeSnapshot(join(dir, 'eqprop.db'));
    const refused = await runCli(['topology', 'build', '--sizes', '6,4,3', '--seed', '5', '--name', 'a\u001bb'], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--name: /);
    assert.doesNotMatch(refused.stderr, /\u001b/, 'the error echoed the escape character raw');
    assert.equal(storeSnapshot(join(dir, 'eqprop.db')), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A small deterministic generator: the same "random" damage on every run of the test. */
function* noise(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x & 0xff;
  }
}

test('A5: random bytes inside the database: eqprop/store message naming the file, exit 2, file untouched', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const db = join(dir, 'eqprop.db');
    assert.equal((await runCli([...TINY_RUN, '--run-id', 'kept'], env)).code, 0);
    assert.ok(!existsSync(`${db}-wal`) || readFileSync(`${db}-wal`).length === 0, 'the WAL was folded into the file');
    // The damage is inside the pages of the runs and topologies tables: opening the file (header,
    // schema, migrations) still works, and only the queries that read those pages find it.
    const raw = new Database(db, { readonly: true });
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    const roots = raw
      .prepare("SELECT rootpage FROM sqlite_master WHERE name IN ('runs', 'topologies')")
      .pluck()
      .all() as number[];
    raw.close();
    const bytes = readFileSync(db);
    const random = noise(26);
    for (const page of roots) {
      for (let i = (page - 1) * pageSize; i < page * pageSize; i++) bytes[i] = random.next().value as number;
    }
    writeFileSync(db, bytes);
    for (const args of [
      ['runs', 'list'],
      ['runs', 'show', 'kept'],
      ['topology', 'list'],
    ]) {
      const r = await runCli(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const message = `eqprop/store: SQLite database ${db}: not an SQLite database, or damaged`;
      assert.ok(r.stderr.startsWith(message), r.stderr);
      assert.match(r.stderr, /restore it from a backup/);
      assert.doesNotMatch(r.stderr, /internal error/);
      assert.ok(readFileSync(db).equals(bytes), `${args.join(' ')}: the file changed`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`A7: a sweep of more than ${MAX_SWEEP_RUNS} runs is refused before anything is written`, async () => {
  const dir = tempDir();
  try {
    const n = `0:${MAX_SWEEP_RUNS}:1`;
    const r = await runCli(['sweep', '--sizes', '784,8,10', '--mode', 'add', '--n', n], cliEnv(dir));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--n: the sweep would train 2001 runs .*; expected at most 2000 runs per sweep request/);
    assert.ok(!existsSync(join(dir, 'eqprop.db')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
