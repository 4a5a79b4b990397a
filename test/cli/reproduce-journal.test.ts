/**
 * `eqprop reproduce journal-table1 --scale tiny`, end to end: Diabetes (regression) and Wine, each
 * layered and no-intralayer at p = 10 %, trained, then the table written with the error kind of
 * each row, and the terminal table giving Diabetes' errors as MSE.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, collect, repoPath, tempDir } from '../experiments/helpers.js';

test('reproduce journal-table1 --scale tiny: four runs, table1.csv with MSE for Diabetes', async () => {
  const dir = tempDir();
  try {
    const child = spawn(
      process.execPath,
      [
        repoPath('bin/eqprop.js'),
        'reproduce',
        'journal-table1',
        '--scale',
        'tiny',
        '--workers',
        '1',
        '--backend',
        'cpu',
      ],
      { env: cliEnv(dir), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = await collect(child);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /diabetes .* layered .* MSE .* \d\.\d+ MSE/);
    assert.match(result.stderr, /wine .* no-intralayer, p = 10 % .* class .*%/);
    const out = join(dir, 'reports', 'journal-table1-tiny');
    const [header, ...rows] = readFileSync(join(out, 'table1.csv'), 'utf8').trim().split('\n');
    assert.equal(header, 'dataset,hiddenLayers,network,seed,errorKind,epochs,trainError,testError,runId');
    assert.equal(rows.length, 4);
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      for (const row of rows) {
        // From the end: the network column may be quoted and hold a comma.
        const cells = row.split(',');
        const runId = cells.at(-1)!;
        const last = (await store.listEpochs(runId)).at(-1)!;
        assert.equal(Number(cells.at(-2)), last.evalError, `${runId}: the test column is the last epoch's evaluation`);
        assert.equal(Number(cells.at(-3)), last.trainError);
        assert.equal(cells.at(-5), runId.includes('diabetes') ? 'mse' : 'class');
      }
    } finally {
      await store.close();
    }
    const outcomes = readFileSync(join(out, 'outcomes.csv'), 'utf8').split('\n')[0];
    assert.match(outcomes, /^runId,label,epochs,dataset,errorKind,trainError/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
