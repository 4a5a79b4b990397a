/**
 * `eqprop reproduce fig5 --scale tiny`, end to end (issue 15): every network of the sweep is also
 * evaluated on the official test set, and the report sets the held-out and test errors against p
 * beside the training error (figure and sweep.csv), each equal to what the store holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, collect, repoPath, tempDir } from '../experiments/helpers.js';

test('reproduce fig5 --scale tiny: test error against p beside the training and held-out errors', async () => {
  const dir = tempDir();
  try {
    const out = join(dir, 'out');
    const args = ['reproduce', 'fig5', '--scale', 'tiny', '--workers', '2', '--out', out];
    const child = spawn(process.execPath, [repoPath('bin/eqprop.js'), ...args], {
      env: cliEnv(dir),
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child);
    assert.equal(result.code, 0, result.stderr);

    const spec = JSON.parse(readFileSync(join(out, 'error-vs-p-epoch1.vl.json'), 'utf8')) as {
      data: { values: { p: number; split: string; error: number }[] };
    };
    const bySplit = (split: string) => spec.data.values.filter((v) => v.split === split);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const testColumn = header.indexOf('testErrorAfterEpoch1');
    assert.ok(testColumn >= 0, csv[0]);
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      const runs = (await store.listRuns({ sweepId: 'fig5-tiny' })).filter((r) => r.id !== 'fig5-tiny.layered.s1');
      assert.equal(runs.length, 3, runs.map((r) => r.id).join(', '));
      for (const split of ['train', 'eval', 'test']) assert.equal(bySplit(split).length, 3, split);
      const tests = bySplit('test')
        .map((v) => v.error)
        .sort();
      const stored: number[] = [];
      for (const run of runs) {
        const [epoch] = await store.listEpochs(run.id);
        assert.equal(typeof epoch.testError, 'number', `${run.id} was evaluated on the test set`);
        stored.push(epoch.testError!);
        const row = csv.find((line) => line.startsWith(`${run.id},`))!.split(',');
        assert.equal(Number(row[testColumn]), epoch.testError);
      }
      assert.deepEqual(tests, stored.sort());
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
