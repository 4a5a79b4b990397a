/**
 * A tiny study end to end: `eqprop sweep --definition` crosses 3 families × 2 budgets × 3 seeds
 * (plus the layered baseline), measures σ/ω first, trains; `eqprop predictors --json` and
 * GET /api/predictors return the identical document; σ is undefined (left out) for the layered
 * configuration; the early predictors are ranked beside the graph metrics.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../server/start.js';
import { cliEnv, runCli, runStudy, tempDir, TINY_STUDY_TRAINING } from '../experiments/helpers.js';
import type { PredictorTable } from '../../src/stats/index.js';

const STUDY = {
  name: 'tiny-study',
  sizes: [784, 8, 8, 8, 10],
  families: ['replace', 'no-intralayer', 'no-intralayer:to=output'],
  n: [10, 40],
  seeds: [1, 2, 3],
  baseline: true,
  ...TINY_STUDY_TRAINING,
  smallWorld: 1,
};

test('a tiny study: CLI and API rank the same predictors, σ undefined for layered', { timeout: 300_000 }, async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const sweep = await runStudy(dir, STUDY, env);
    assert.equal(sweep.code, 0, sweep.stderr);
    assert.match(sweep.stderr, /measured σ\/ω 21\/21/);

    const cli = await runCli(['predictors', 'tiny-study', '--json', '--early-batches', '1'], env);
    assert.equal(cli.code, 0, cli.stderr);
    const fromCli = JSON.parse(cli.stdout) as PredictorTable;
    assert.equal(fromCli.runs, 21);
    assert.equal(fromCli.configurations.length, 7);
    const layered = fromCli.configurations.find((c) => c.family === 'layered')!;
    assert.equal(layered.metrics.sigma, undefined, 'σ is undefined for a layered net');
    const sigmaRow = fromCli.rows.find((r) => r.metric === 'sigma' && r.outcome === 'trainError')!;
    assert.ok(sigmaRow.leftOut.includes(layered.key));
    assert.ok(fromCli.rows.some((r) => r.metric === 'early.logSpread' && r.kind === 'dynamics'));
    const keys = [
      'metric',
      'outcome',
      'n',
      'spearman',
      'spearmanLow',
      'spearmanHigh',
      'pearson',
      'partialSpearman',
      'cvR2',
    ];
    for (const key of keys) assert.ok(key in fromCli.rows[0], `rows carry ${key}`);
    const strength = fromCli.rows.map((r) => (r.spearman === null ? -1 : Math.abs(r.spearman)));
    assert.deepEqual(
      strength,
      [...strength].sort((a, b) => b - a),
      'rows sorted by |Spearman|',
    );

    const config = loadConfig(
      { dataDir: dir, sqlitePath: join(dir, 'eqprop.db'), store: 'sqlite', host: '127.0.0.1', port: 0 },
      {},
    );
    const server = await startServer(config);
    try {
      const response = await fetch(`${server.url}/api/predictors?sweep=tiny-study&earlyBatches=1`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), fromCli);
      const bad = await fetch(`${server.url}/api/predictors?sweep=tiny-study&outcome=accuracy`);
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(await bad.json()), /outcome/);
      const missing = await fetch(`${server.url}/api/predictors?sweep=no-such-study`);
      assert.equal(missing.status, 404);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
