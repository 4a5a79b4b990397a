/**
 * SQLite files the CLI cannot use as they are: a damaged (or foreign) file and a read-only one.
 * Each gives an error naming the file and what to do (exit 2, never "internal error"); a
 * read-only database still answers `runs list`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, repoPath, runCli, TINY_TRAINING, tempDir } from '../experiments/helpers.js';

// Catches SqliteError "file is not a database" reaching the user as an internal error (exit 1).
test('a damaged database file: exit 2 naming the file and what to do', async () => {
  const dir = tempDir();
  try {
    const db = join(dir, 'eqprop.db');
    writeFileSync(db, 'this is not an SQLite database, it only has its name '.repeat(40));
    const result = await runCli(['runs', 'list'], cliEnv(dir));
    assert.equal(result.code, 2, result.stderr);
    assert.ok(result.stderr.includes(db), result.stderr);
    assert.match(result.stderr, /not an SQLite database, or damaged.*restore it from a backup/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const asRoot = process.getuid?.() === 0;
const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((p) => existsSync(p));
const readOnlySkip =
  process.platform === 'win32'
    ? 'skipped: no POSIX permissions'
    : asRoot && !runuser
      ? 'skipped: running as root (permissions do not stop root) and no runuser to drop to nobody'
      : false;

// Catches a read-only database that cannot even be listed (WAL needs its -shm index beside the
// file) and writes that fail with SQLite's bare "attempt to write a readonly database".
test('a read-only database: runs list works; a write is exit 2 naming the file', { skip: readOnlySkip }, async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const created = await runCli(
      ['train', '--sizes', '784,8,10', ...TINY_TRAINING, '--epochs', '1', '--run-id', 'kept'],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    const db = join(dir, 'eqprop.db');
    const cli = (args: string[]) => {
      if (!asRoot) return spawnSync(process.execPath, [repoPath('bin/eqprop.js'), ...args], { env, encoding: 'utf8' });
      // Root writes whatever the permissions say: run the CLI as nobody instead.
      const vars = Object.entries(env)
        .filter(([k]) => k.startsWith('EQPROP_'))
        .map(([k, v]) => `${k}=${v}`);
      return spawnSync(
        runuser!,
        ['-u', 'nobody', '--', 'env', ...vars, process.execPath, repoPath('bin/eqprop.js'), ...args],
        { encoding: 'utf8' },
      );
    };
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    const list = cli(['runs', 'list']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /kept\s+done/);
    // Building a topology saves it: a write to the database.
    const write = cli(['topology', 'build', '--sizes', '784,8,10', '--mode', 'layered', '--seed', '9']);
    assert.equal(write.status, 2, `${write.stdout}\n${write.stderr}`);
    assert.ok(write.stderr.includes(db), write.stderr);
    assert.match(write.stderr, /cannot be written.*listing still works/);
  } finally {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});
