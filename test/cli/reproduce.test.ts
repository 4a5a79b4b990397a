/**
 * `eqprop reproduce` at the tiny scale, end to end: it writes into reports/<figure>-<scale>/ under
 * the working directory by default (never into tracked docs/), and each run's stored report fields
 * (errors of the last epoch, the training error per block, the eq. 2 rate of each pair averaged over
 * the last 50 batches, deepest/output and the spread of the deep pairs) equal what the test computes
 * itself from the store's raw epochs and rates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, collect, repoPath, tempDir } from '../experiments/helpers.js';

interface Outcome {
  [key: string]: unknown;
}

test('reproduce fig4 --scale tiny: reports/ by default, and the report fields match the stored series', async () => {
  const dir = tempDir();
  try {
    const child = spawn(
      process.execPath,
      [repoPath('bin/eqprop.js'), 'reproduce', 'fig4', '--scale', 'tiny', '--workers', '1'],
      {
        env: cliEnv(dir),
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const result = await collect(child);
    assert.equal(result.code, 0, result.stderr);
    const out = join(dir, 'reports', 'fig4-tiny');
    for (const f of ['report.json', 'outcomes.csv', 'epochs.csv', 'rates.svg', 'reproduce.json'])
      assert.ok(existsSync(join(out, f)), f);
    assert.match(result.stderr, /deep\/out/, 'the outcome table is printed');

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      runs: { id: string; outcome: Outcome }[];
    };
    assert.equal(report.runs.length, 3);
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      for (const { id, outcome } of report.runs) {
        const epochs = await store.listEpochs(id);
        const last = epochs.at(-1)!;
        assert.equal(outcome.trainError, last.trainError);
        assert.equal(outcome.evalError, last.evalError);
        // Two batches an epoch: one block, the whole epoch.
        assert.deepEqual(last.blockErrors, [last.trainError]);
        assert.equal(outcome.trainErrorBlock1, last.trainError);
        const rates = await store.listRates(id);
        const pairs = 3;
        const mean = Array.from({ length: pairs }, (_, pair) => {
          const series = rates
            .filter((r) => r.pair === pair)
            .sort((a, b) => a.batch - b.batch)
            .slice(-50);
          assert.equal(series.length, 4, '2 epochs × 2 batches, all within the last 50');
          return series.reduce((s, r) => s + r.rate, 0) / series.length;
        });
        for (let pair = 0; pair < pairs; pair++)
          assert.ok(Math.abs((outcome[`ratePair${pair}`] as number) - mean[pair]) <= 1e-12 * mean[pair]);
        assert.ok(Math.abs((outcome.deepestOverOutput as number) - mean[0] / mean[2]) <= 1e-9 * (mean[0] / mean[2]));
        const deep = Math.max(mean[0], mean[1]) / Math.min(mean[0], mean[1]);
        assert.ok(Math.abs((outcome.deepSpread as number) - deep) <= 1e-9 * deep);
      }
    } finally {
      await store.close();
    }
    const header = readFileSync(join(out, 'outcomes.csv'), 'utf8').split('\n')[0];
    assert.equal(
      header,
      'runId,label,epochs,trainError,evalError,testError,trainErrorBlock1,' +
        'ratePair0,ratePair1,ratePair2,deepestOverOutput,deepSpread',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
