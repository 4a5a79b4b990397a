/**
 * `eqprop runs list|show|compare` and `eqprop --version` on a real SQLite store filled through
 * the store API (no training: the numbers are chosen so that each filter and sort order has one
 * right answer). Expected values are written from the inputs, not read back from the CLI.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTopology } from '../../graph/index.js';
import type { TopologySpec } from '../../graph/types.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, repoPath, runCli, tempDir } from '../experiments/helpers.js';

const dir = tempDir();
const env = cliEnv(dir);

const train = (over: Record<string, unknown> = {}) => ({
  epsilon: 0.5,
  beta: 1,
  freeSteps: 20,
  clampedSteps: 4,
  batchSize: 10,
  learningRates: [0.02],
  randomBetaSign: true,
  seed: 1,
  rateEvery: 1,
  checkpointEvery: 0,
  ...over,
});
const config = (topologyId: string, over: { epochs?: number; train?: Record<string, unknown> } = {}) => ({
  format: 1,
  topology: { kind: 'stored', id: topologyId },
  epochs: over.epochs ?? 2,
  data: { train: 100, eval: 20, test: 0 },
  train: train(over.train),
  backend: 'cpu',
});

before(async () => {
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  const save = (id: string, spec: Partial<TopologySpec>) =>
    store.saveTopology(buildTopology({ sizes: [6, 5, 5, 3], seed: 1, ...spec } as TopologySpec), { id });
  const layered = await save('topo-layered', { mode: 'layered' });
  const p10 = await save('topo-p10', { mode: 'replace', p: 0.1 });
  const p30 = await save('topo-p30', { mode: 'replace', p: 0.3 });
  const wide = await save('topo-wide', { mode: 'layered', sizes: [6, 9, 3] });
  await store.createSweep({ id: 'sweep-a', config: {} });
  // id, topology, sweep, per-epoch [train, eval] errors, status
  const runs: [string, string, string | null, [number, number][], 'done' | 'failed'][] = [
    [
      '5ad6b782-0000-4000-8000-000000000001',
      layered,
      'sweep-a',
      [
        [0.5, 0.6],
        [0.3, 0.4],
      ],
      'done',
    ],
    [
      '5ad6c111-0000-4000-8000-000000000002',
      p10,
      'sweep-a',
      [
        [0.4, 0.5],
        [0.08, 0.12],
      ],
      'done',
    ],
    ['91c0e4aa-0000-4000-8000-000000000003', p30, null, [[0.05, 0.09]], 'failed'],
    [
      'a7e3d2c1-0000-4000-8000-000000000004',
      wide,
      null,
      [
        [0.2, 0.25],
        [0.15, 0.2],
      ],
      'done',
    ],
  ];
  for (const [id, topologyId, sweepId, epochs, status] of runs) {
    const lr = topologyId === p10 ? [0.05] : [0.02];
    const runConfig = config(topologyId, { train: { learningRates: lr } });
    await store.createRun({ id, topologyId, sweepId, config: runConfig, seed: 1, status });
    for (const [i, [trainError, evalError]] of epochs.entries()) {
      await store.addEpoch(id, { epoch: i + 1, trainError, evalError, durationMs: 1000, meanFreeSteps: 20 });
    }
  }
  await store.close();
});

after(() => {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
});

async function listIds(...args: string[]): Promise<string[]> {
  const r = await runCli(['runs', 'list', '--json', ...args], env);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id.slice(0, 8));
}

test('eqprop --version and -V print the package version', async () => {
  const version = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  }
});

test('runs show accepts a unique 8-character prefix; an ambiguous prefix lists the matches (exit 2)', async () => {
  const show = await runCli(['runs', 'show', '91c0e4aa'], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^run\s+91c0e4aa-0000-4000-8000-000000000003$/m);
  assert.match(show.stdout, /replace p 30\.\d\d %, n 32,/, 'p as a percentage with 4 significant digits');
  const ambiguous = await runCli(['runs', 'show', '5ad6'], env);
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /<id>: "5ad6" is the prefix of 2 run ids \(5ad6b782-[^,]+, 5ad6c111-/);
  const missing = await runCli(['runs', 'show', 'ffffffff'], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no run with id "ffffffff"/);
  // The list filter takes a prefix of the sweep id too.
  assert.deepEqual(await listIds('--sweep', 'swee', '--sort', 'id'), ['5ad6b782', '5ad6c111']);
});

test('runs list filters by mode, sizes, status, p range and metric ranges', async () => {
  assert.deepEqual(await listIds('--mode', 'replace', '--sort', 'id'), ['5ad6c111', '91c0e4aa']);
  assert.deepEqual(await listIds('--sizes', '6,9,3'), ['a7e3d2c1']);
  assert.deepEqual(await listIds('--status', 'failed'), ['91c0e4aa']);
  // Layered nets count as p = 0; the two replace nets are stored near 0.1 and 0.3.
  assert.deepEqual(await listIds('--p-max', '0.15', '--sort', 'id'), ['5ad6b782', '5ad6c111', 'a7e3d2c1']);
  assert.deepEqual(await listIds('--p-min', '0.05', '--p-max', '0.15'), ['5ad6c111']);
  assert.deepEqual(await listIds('--metric-range', 'train-error<0.1', '--sort', 'id'), ['5ad6c111', '91c0e4aa']);
  assert.deepEqual(await listIds('--metric-range', 'eval-error<=20%', '--metric-range', 'epochs>=2', '--sort', 'id'), [
    '5ad6c111',
    'a7e3d2c1',
  ]);
  assert.deepEqual(await listIds('--search', 'TOPO-WIDE'), ['a7e3d2c1']);
  const bad = await runCli(['runs', 'list', '--metric-range', 'train-error~3'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--metric-range: "train-error~3" is not a comparison/);
});

test('runs list --sort orders by a column, descending with :desc, missing values last', async () => {
  assert.deepEqual(await listIds('--sort', 'train-error'), ['91c0e4aa', '5ad6c111', 'a7e3d2c1', '5ad6b782']);
  assert.deepEqual(await listIds('--sort', 'eval-error:desc'), ['5ad6b782', 'a7e3d2c1', '5ad6c111', '91c0e4aa']);
  // p numerically (0.1 before 0.3), layered nets (no p) last either way.
  assert.deepEqual((await listIds('--sort', 'p:desc')).slice(0, 2), ['91c0e4aa', '5ad6c111']);
  assert.deepEqual((await listIds('--sort', 'p')).slice(0, 2), ['5ad6c111', '91c0e4aa']);
  const text = await runCli(['runs', 'list', '--sort', 'train-error', '--limit', '1'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /91c0e4aa\S*\s+failed\s+replace\s+6-5-5-3\s+\S+ %\s+1\s+1\/2\s+5\.00%\s+9\.00%/);
  const bad = await runCli(['runs', 'list', '--sort', 'colour'], env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--sort/);
});

test('runs compare prints only the configuration keys that differ, and the errors side by side', async () => {
  const r = await runCli(['runs', 'compare', '5ad6b782', '5ad6c111', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    differences: { key: string; values: string[] }[];
    errors: { epochs: { trainError: number }[] }[];
  };
  const keys = out.differences.map((d) => d.key);
  assert.deepEqual(keys, ['topology.id', 'topology.mode', 'topology.n', 'topology.p', 'train.learningRates']);
  assert.deepEqual(out.differences.find((d) => d.key === 'train.learningRates')!.values, ['0.02', '0.05']);
  assert.deepEqual(
    out.errors.map((e) => e.epochs.map((x) => x.trainError)),
    [
      [0.5, 0.3],
      [0.4, 0.08],
    ],
  );
  const text = await runCli(['runs', 'compare', '5ad6b782', '5ad6c111'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /train\.learningRates\s+0\.02\s+0\.05/);
  assert.doesNotMatch(text.stdout, /train\.epsilon/, 'equal keys are not shown');
  assert.match(text.stdout, /^\s*2\s+30\.00%\s+40\.00%\s+8\.00%\s+12\.00%$/m);
  const one = await runCli(['runs', 'compare', '5ad6b782'], env);
  assert.equal(one.code, 2);
});
