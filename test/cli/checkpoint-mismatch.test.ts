/**
 * Issue 26 A1: a resume (or a re-run with the same --run-id) must not train a checkpoint of
 * another network or configuration. Run "big" (784-32-32-10) is marked failed, then finds the
 * checkpoint of run "small" (784-16-10, same data) at its path: exit 2 naming the sizes, the store
 * and the file unchanged. A checkpoint of the same topology with another --lr is refused naming
 * learningRates; a checkpoint without a fingerprint (older files) is checked by its recorded shape.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointFile, writeCheckpointFile } from '../../engine/checkpoint.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, runCli, TINY_TRAINING, tempDir } from '../experiments/helpers.js';
import { storeSnapshot } from './store-snapshot.js';

const TRAIN = ['train', ...TINY_TRAINING, '--epochs', '1', '--mode', 'layered'];

/** Writes the checkpoint at `path` again without its fingerprint: a file from before fingerprints. */
function stripFingerprint(path: string): void {
  const { meta, sections } = readCheckpointFile(path);
  const { fingerprint: _f, ...legacy } = meta as Record<string, unknown>;
  writeCheckpointFile(path, legacy, sections);
}

test('a checkpoint of another network or config is refused before anything is written', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const db = join(dir, 'eqprop.db');
    const runs = [
      ['small', '784,16,10', '0.02'],
      ['big', '784,32,32,10', '0.02'],
      ['other-lr', '784,32,32,10', '0.05'],
    ];
    for (const [id, sizes, lr] of runs) {
      const r = await runCli([...TRAIN, '--sizes', sizes, '--lr', lr, '--run-id', id], env);
      assert.equal(r.code, 0, r.stderr);
    }
    const store = SqliteStore.open(db);
    const path = (await store.getRun('big')).checkpoint!;
    const pathOf = async (id: string) => (await store.getRun(id)).checkpoint!;
    await store.updateRun('big', { status: 'failed', error: 'crashed', finishedAt: null });
    const smallPath = await pathOf('small'),
      otherPath = await pathOf('other-lr');
    await store.close();
    const own = readFileSync(path);

    const refused = async (what: string, args: string[], pattern: RegExp) => {
      const before = storeSnapshot(db),
        file = readFileSync(path);
      const r = await runCli(args, env);
      assert.equal(r.code, 2, `${what}: ${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, pattern, what);
      assert.match(r.stderr, /^eqprop\/experiments: checkpoint .*; expected /, what);
      assert.equal(storeSnapshot(db), before, `${what}: the store changed`);
      assert.ok(readFileSync(path).equals(file), `${what}: the checkpoint changed`);
    };
    copyFileSync(smallPath, path);
    await refused('--resume, other sizes', ['train', '--resume', 'big'], /784-16-10 \(checkpoint\) vs 784-32-32-10/);
    const rerun = [...TRAIN, '--sizes', '784,32,32,10', '--lr', '0.02', '--run-id', 'big'];
    await refused('same --run-id, other sizes', rerun, /784-16-10/);
    copyFileSync(otherPath, path);
    await refused(
      '--resume, other --lr',
      ['train', '--resume', 'big'],
      /learningRates \[0\.05\] \(checkpoint\) vs \[0\.02\] \(run\)/,
    );
    copyFileSync(smallPath, path);
    stripFingerprint(path);
    await refused(
      '--resume, older checkpoint of other sizes',
      ['train', '--resume', 'big'],
      /784-16-10 \(checkpoint\)/,
    );

    // The run's own checkpoint, with or without a fingerprint, still resumes.
    writeFileSync(path, own);
    stripFingerprint(path);
    const resumed = await runCli(['train', '--resume', 'big'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const after = SqliteStore.open(db);
    assert.equal((await after.getRun('big')).status, 'done');
    await after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
