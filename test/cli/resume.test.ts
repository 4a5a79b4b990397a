/**
 * Crash safety through the CLI: a run killed with SIGKILL mid-epoch, then `eqprop train --resume`,
 * loses no finished epoch and ends with exactly the weights, particles, RNG state, epoch results
 * and rate series of the same run done without interruption. SIGTERM checkpoints, marks the
 * run cancelled, and resumes the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointFile } from '../../engine/checkpoint.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, collect, events, runCli, spawnCli, tempDir } from '../experiments/helpers.js';

// 30 batches an epoch, 3 epochs, checkpoints every 4 batches: slow enough to be killed mid-epoch.
const RUN = [
  'train',
  '--sizes',
  '784,32,32,10',
  '--mode',
  'replace',
  '--p',
  '0.1',
  '--train',
  '600',
  '--eval',
  '40',
  '--free-steps',
  '30',
  '--clamped-steps',
  '4',
  '--epochs',
  '3',
  '--checkpoint-every',
  '4',
  '--json',
];

interface Snapshot {
  epochs: [number, number, number][];
  rates: [number, number, number][];
  sections: Map<string, Buffer>;
  rng: unknown;
  counters: Record<string, unknown>;
}

async function snapshot(dir: string, runId: string): Promise<Snapshot> {
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const run = await store.getRun(runId);
    assert.equal(run.status, 'done');
    const { meta, sections } = readCheckpointFile(run.checkpoint!);
    const m = meta as { rng: unknown; counters: Record<string, unknown> };
    const { epochElapsedMs: _t, ...counters } = m.counters; // wall-clock time differs, nothing else may
    return {
      epochs: (await store.listEpochs(runId)).map((e) => [e.epoch, e.trainError, e.evalError]),
      rates: (await store.listRates(runId)).map((r) => [r.batch, r.pair, r.rate]),
      sections: new Map([...sections].map(([name, a]) => [name, Buffer.from(a.buffer, a.byteOffset, a.byteLength)])),
      rng: m.rng,
      counters,
    };
  } finally {
    await store.close();
  }
}

function assertSameRun(got: Snapshot, want: Snapshot): void {
  assert.deepEqual(got.epochs, want.epochs, 'epoch results');
  assert.equal(got.rates.length, want.rates.length, 'rate points');
  assert.deepEqual(got.rates, want.rates, 'rate series');
  assert.deepEqual([...got.sections.keys()].sort(), [...want.sections.keys()].sort());
  for (const [name, bytes] of want.sections)
    assert.ok(bytes.equals(got.sections.get(name)!), `checkpoint section ${name} differs`);
  assert.deepEqual(got.rng, want.rng, 'RNG state');
  assert.deepEqual(got.counters, want.counters, 'counters');
}

test('kill -9 mid-epoch, then --resume: no finished epoch lost, identical final weights', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const reference = await runCli([...RUN, '--run-id', 'reference'], env);
    assert.equal(reference.code, 0, reference.stderr);
    const want = await snapshot(dir, 'reference');
    assert.equal(want.epochs.length, 3);

    // Kill inside epoch 2 once it has checkpointed mid-epoch (global batch 32 is its batch 2): at its
    // first reported batch past 2. The last batch of every epoch is always reported, so one arrives,
    // and a whole epoch is still ahead of the run then: it is killed before it finishes.
    const child = spawnCli([...RUN, '--run-id', 'crash'], env);
    const done = collect(child);
    const seen: number[] = [];
    let buffered = '';
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (const e of events(buffered)) {
        if (e.event === 'epoch' && !seen.includes(e.epoch as number)) seen.push(e.epoch as number);
        if (e.event === 'batch' && e.epoch === 2 && (e.batch as number) > 2) child.kill('SIGKILL');
      }
    });
    const killed = await done;
    assert.equal(killed.signal, 'SIGKILL', `the run must be killed before it finishes: ${killed.stderr}`);

    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      const run = await store.getRun('crash');
      assert.equal(run.status, 'running', 'a killed process cannot mark its run');
      const stored = (await store.listEpochs('crash')).map((e) => e.epoch);
      for (const epoch of seen)
        assert.ok(stored.includes(epoch), `epoch ${epoch} was reported finished, so it must be stored`);
      assert.ok(stored.length < 3);
    } finally {
      await store.close();
    }

    const resumed = await runCli(['train', '--resume', 'crash', '--json'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const evs = events(resumed.stdout);
    assert.equal(evs[0].event, 'run');
    assert.equal(evs[0].resumed, true);
    assert.equal(evs.at(-1)!.event, 'done');
    assert.ok(
      !evs.some((e) => e.event === 'epoch' && e.epoch === 1),
      'continued from the checkpoint, not restarted from scratch',
    );
    assertSameRun(await snapshot(dir, 'crash'), want);

    // SIGTERM: checkpoint, mark cancelled, exit cleanly; --resume finishes it, again identically.
    const term = spawnCli([...RUN, '--run-id', 'stopped'], env);
    const termDone = collect(term);
    let sent = false;
    term.stdout!.on('data', (chunk: string) => {
      if (!sent && chunk.includes('"event":"batch"')) {
        sent = true;
        term.kill('SIGTERM');
      }
    });
    const stopped = await termDone;
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal(events(stopped.stdout).at(-1)!.event, 'cancelled');
    const store2 = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      assert.equal((await store2.getRun('stopped')).status, 'cancelled');
    } finally {
      await store2.close();
    }
    const finished = await runCli(['train', '--resume', 'stopped', '--json'], env);
    assert.equal(finished.code, 0, finished.stderr);
    assertSameRun(await snapshot(dir, 'stopped'), want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
