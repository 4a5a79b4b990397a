/**
 * End to end through the CLI on a tiny network: build (inline topology, stored) → train 2 epochs
 * with --json → the store holds the run, epochs and rates → report writes the figures and data →
 * runs show / runs list print them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, events, runCli, tempDir, TINY_TRAINING } from '../experiments/helpers.js';
import { BACKEND_ORDER } from '../../engine/backend-names.js';

test('build → train 2 epochs → report → runs show', async () => {
  const dir = tempDir();
  const env = cliEnv(dir);
  try {
    await endToEnd(dir, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inline topology flags: built by graph/, stored under a deterministic id, reused', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const args = [
      'train',
      '--sizes',
      '784,8,10',
      '--mode',
      'layered',
      '--topology-seed',
      '4',
      ...TINY_TRAINING,
      '--epochs',
      '1',
      '--json',
    ];
    const first = events((await runCli(args, env)).stdout);
    const second = events((await runCli(args, env)).stdout);
    assert.equal(first[0].topologyId, 'topo-784x8x10-layered-s4');
    assert.equal(second[0].topologyId, 'topo-784x8x10-layered-s4');
    assert.notEqual(first[0].runId, second[0].runId, 'without --run-id every train is a new run');
    assert.equal(second.at(-1)!.event, 'done');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--threads 2 trains the same run as one thread (epochs and rate series equal)', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const common = [
      'train',
      '--sizes',
      '784,8,8,10',
      '--mode',
      'replace',
      '--p',
      '0.1',
      ...TINY_TRAINING,
      '--epochs',
      '2',
      '--json',
    ];
    const one = await runCli([...common, '--run-id', 'threads-1', '--threads', '1'], env);
    const two = await runCli([...common, '--run-id', 'threads-2', '--threads', '2'], env);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      const strip = (epochs: { durationMs: number }[]) => epochs.map(({ durationMs: _d, ...rest }) => rest);
      const e1 = await store.listEpochs('threads-1'),
        e2 = await store.listEpochs('threads-2');
      assert.equal(e1.length, 2);
      assert.deepEqual(strip(e2), strip(e1));
      const r1 = await store.listRates('threads-1'),
        r2 = await store.listRates('threads-2');
      assert.ok(r1.length > 0);
      assert.deepEqual(r2, r1);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function endToEnd(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const build = await runCli(
    [
      'topology',
      'build',
      '--sizes',
      '784,8,10',
      '--mode',
      'replace',
      '--p',
      '0.05',
      '--seed',
      '1',
      '--metrics',
      '--json',
    ],
    env,
  );
  assert.equal(build.code, 0, build.stderr);
  const topologyId = (JSON.parse(build.stdout) as { id: string }).id;
  const TRAIN = ['train', '--topology', topologyId, ...TINY_TRAINING, '--epochs', '2', '--run-id', 'e2e-1', '--json'];
  const train = await runCli(TRAIN, env);
  assert.equal(train.code, 0, train.stderr);
  const evs = events(train.stdout);
  assert.equal(evs[0].event, 'run');
  assert.equal(evs[0].runId, 'e2e-1');
  assert.equal(evs[0].topologyId, topologyId);
  assert.ok((BACKEND_ORDER as readonly string[]).includes(evs[0].backend as string));
  assert.equal(evs.at(-1)!.event, 'done');
  const epochEvents = evs.filter((e) => e.event === 'epoch');
  assert.deepEqual(
    epochEvents.map((e) => e.epoch),
    [1, 2],
  );
  for (const b of evs.filter((e) => e.event === 'batch')) {
    assert.deepEqual(Object.keys(b).sort(), ['batch', 'batches', 'epoch', 'event', 'trainError']);
    assert.equal(b.batches, 2);
  }

  // The store holds what the events said, written by the CLI process.
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const run = await store.getRun('e2e-1');
    assert.equal(run.status, 'done');
    assert.equal(run.backend, evs[0].backend);
    assert.equal(run.checkpoint, join(dir, 'checkpoints', 'e2e-1.ckpt'));
    assert.ok(existsSync(run.checkpoint!));
    const epochs = await store.listEpochs('e2e-1');
    assert.deepEqual(
      epochs.map((e) => [e.epoch, e.trainError, e.evalError]),
      epochEvents.map((e) => [e.epoch, e.trainError, e.evalError]),
    );
    const rates = await store.listRates('e2e-1');
    assert.equal(rates.length, 2 * 2 * 2, '2 epochs × 2 batches × 2 layer pairs');
    const topology = await store.getTopology(run.topologyId);
    assert.equal(topology.spec.mode, 'replace');
    assert.ok(topology.metrics.L > 0, 'metrics computed when the topology was stored');

    // report: figures (SVG + PNG + spec) and the data.
    const out = join(dir, 'report');
    const report = await runCli(['report', 'e2e-1', '--out', out, '--smooth', '1'], env);
    assert.equal(report.code, 0, report.stderr);
    for (const f of [
      'errors.svg',
      'errors.png',
      'errors.vl.json',
      'rates.svg',
      'rates.png',
      'rates.vl.json',
      'epochs.csv',
      'rates.csv',
      'report.json',
    ])
      assert.ok(existsSync(join(out, f)), f);
    assert.match(readFileSync(join(out, 'errors.svg'), 'utf8'), /^<svg[\s\S]*<\/svg>$/);
    assert.deepEqual(
      [...readFileSync(join(out, 'rates.png')).subarray(0, 8)],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    );
    const csv = readFileSync(join(out, 'epochs.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 3);
    // The label column is quoted and holds commas: count from the end.
    assert.equal(Number(csv[2].split(',').at(-5)), epochs[1].evalError);
    assert.equal(readFileSync(join(out, 'rates.csv'), 'utf8').trim().split('\n').length, 1 + rates.length);
    const spec = JSON.parse(readFileSync(join(out, 'errors.vl.json'), 'utf8')) as {
      data: { values: { epoch: number; split: string; error: number }[] };
    };
    assert.deepEqual(
      spec.data.values.filter((v) => v.split === 'train').map((v) => v.error),
      epochs.map((e) => e.trainError),
    );
    const rateSpec = JSON.parse(readFileSync(join(out, 'rates.vl.json'), 'utf8')) as {
      data: { values: { rate: number }[] };
    };
    assert.equal(rateSpec.data.values.length, rates.length);
  } finally {
    await store.close();
  }

  const show = await runCli(['runs', 'show', 'e2e-1'], env);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /status\s+done/);
  assert.match(show.stdout, new RegExp(`backend\\s+${evs[0].backend as string}`));
  assert.match(show.stdout, /^\s+1\s+\S+%\s+\S+%/m);
  assert.match(show.stdout, /^\s+2\s+\S+%\s+\S+%/m);
  const list = await runCli(['runs', 'list', '--json'], env);
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as { id: string; epochsDone: number }[];
  assert.deepEqual(
    listed.map((r) => [r.id, r.epochsDone]),
    [['e2e-1', 2]],
  );

  // A finished run with the same id is skipped, not retrained.
  const again = await runCli(TRAIN, env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    events(again.stdout).map((e) => e.event),
    ['run', 'done'],
  );
  assert.equal(events(again.stdout)[1].skipped, true);
}
