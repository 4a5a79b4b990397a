/**
 * Data safety through the CLI (README "Data safety"): a damaged checkpoint stops `--resume` with
 * exit 2 naming the file (and stale temporary files of dead processes are cleaned up), two
 * `--resume` of one run at the same moment train it once, and paths that cannot be directories
 * are refused at once without writing a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, collect, events, runCli, spawnCli, TINY_TRAINING, tempDir } from '../experiments/helpers.js';

const TINY = ['train', '--sizes', '784,16,10', ...TINY_TRAINING, '--epochs', '1', '--json'];

async function withSqliteStoreIn<T>(dir: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
}

// Catches a resume that trusts the checkpoint's bytes (it trained on 64 flipped bytes before) and
// a resume that leaves half-written temporary checkpoints of crashed processes lying around.
test("a damaged checkpoint: --resume exits 2 naming the file; dead processes' stale temporary files go", async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const first = await runCli([...TINY, '--run-id', 'damaged'], env);
    assert.equal(first.code, 0, first.stderr);
    const checkpoint = await withSqliteStoreIn(dir, async (store) => {
      await store.updateRun('damaged', { status: 'failed', error: 'pretend it crashed' }); // a resumable run
      return (await store.getRun('damaged')).checkpoint!;
    });
    const bytes = readFileSync(checkpoint);
    for (let k = 1; k <= 64; k++) bytes[bytes.length - k * 97] ^= 0x55; // inside the particles and weights
    writeFileSync(checkpoint, bytes);
    const stale = `${checkpoint}.tmp-${deadPid()}-0`,
      live = `${checkpoint}.tmp-${process.pid}-0`;
    writeFileSync(stale, 'half a checkpoint');
    writeFileSync(live, 'being written by a live process');

    const resumed = await runCli(['train', '--resume', 'damaged', '--json'], env);
    assert.equal(resumed.code, 2, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`${checkpoint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*CRC-32`));
    assert.ok(!events(resumed.stdout).some((e) => e.event === 'batch' || e.event === 'epoch'), 'nothing trained');
    assert.ok(!existsSync(stale), "the dead process's temporary file is removed");
    assert.ok(existsSync(live), "a live process's temporary file is kept");
    await withSqliteStoreIn(dir, async (store) => {
      const run = await store.getRun('damaged');
      assert.equal(run.status, 'failed');
      assert.match(run.error ?? '', /CRC-32/);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches a resume that checks "is anyone running it?" and then writes "I am" in two steps: both
// processes pass the check during their seconds of start-up and both train (6 of 6 trials before).
test('two --resume of the same run at the same moment: exactly one trains, the other exits 2', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    // A run that takes seconds, so the second process starts long before the first ends.
    const args = [
      'train',
      '--sizes',
      '784,32,10',
      '--train',
      '600',
      '--eval',
      '40',
      '--free-steps',
      '30',
      '--clamped-steps',
      '4',
      '--epochs',
      '1',
      '--json',
    ];
    const created = await runCli([...args, '--run-id', 'twice'], env);
    assert.equal(created.code, 0, created.stderr);
    await withSqliteStoreIn(dir, async (store) => {
      const run = await store.getRun('twice');
      rmSync(run.checkpoint!); // restart from scratch: the whole epoch is ahead of both
      await store.updateRun('twice', { status: 'cancelled', worker: null });
    });
    const results = await Promise.all(
      [0, 1].map(() => collect(spawnCli(['train', '--resume', 'twice', '--json'], env))),
    );
    const trained = results.filter((r) => events(r.stdout).some((e) => e.event === 'epoch'));
    assert.equal(trained.length, 1, results.map((r) => `exit ${r.code}: ${r.stderr}`).join('\n'));
    assert.equal(trained[0].code, 0, trained[0].stderr);
    const loser = results.find((r) => r !== trained[0])!;
    assert.equal(loser.code, 2, loser.stderr);
    assert.match(loser.stderr, /twice is being trained right now by process/);
    await withSqliteStoreIn(dir, async (store) => assert.equal((await store.getRun('twice')).status, 'done'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches mkdirSync(recursive) under /proc (it spins at 100 % CPU and never returns, so the test's
// timeout fails it) and a run or topology written before the checkpoint directory was known to be usable.
test('--checkpoint-dir under /proc or below a file, --db below a file: exit 2 at once, no run written', {
  skip: process.platform !== 'linux' && 'skipped: /proc is Linux-only',
  timeout: 120_000,
}, async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    for (const [flag, path] of [
      ['--checkpoint-dir', '/proc/x'],
      ['--checkpoint-dir', `${file}/x`],
      ['--db', `${file}/x/eqprop.db`],
    ] as const) {
      const result = await runCli([...TINY, flag, path], env);
      assert.equal(result.code, 2, `${flag} ${path}: ${result.stderr}`);
      assert.match(result.stderr, flag === '--db' ? /--db/ : /--checkpoint-dir/);
    }
    await withSqliteStoreIn(dir, async (store) => {
      assert.deepEqual(await store.listRuns(), []);
      assert.deepEqual(await store.listTopologies(), []);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
