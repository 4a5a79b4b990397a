/**
 * A sweep of 3 p values on 2 local worker processes: every run stored under the sweep with the
 * deterministic ids; `sweep status` agrees; running the same sweep again trains nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { cliEnv, events, runCli, tempDir, TINY_TRAINING } from '../experiments/helpers.js';

const SWEEP = [
  'sweep',
  '--sizes',
  '784,10,10,10',
  '--mode',
  'replace',
  '--p',
  '0,0.05,0.2',
  '--epochs',
  '1',
  ...TINY_TRAINING,
  '--workers',
  '2',
  '--name',
  'tiny-sweep',
  '--json',
];

test('sweep: 3 p values on 2 workers, then a re-run skips them', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const first = await runCli(SWEEP, env);
    assert.equal(first.code, 0, first.stderr);
    const lines = events(first.stdout);
    assert.deepEqual(lines[0], { event: 'sweep', sweepId: 'tiny-sweep', runs: 3, workers: 2 });
    const jobs = lines.filter((e) => e.event === 'job');
    assert.deepEqual(jobs.map((j) => j.runId).sort(), [
      'tiny-sweep.p0.05.s1',
      'tiny-sweep.p0.2.s1',
      'tiny-sweep.p0.s1',
    ]);
    assert.ok(
      jobs.every((j) => j.status === 'done'),
      JSON.stringify(jobs),
    );
    const summary = lines.at(-1) as { sweepId: string; skipped: string[]; outcomes: { status: string }[] };
    assert.equal(summary.sweepId, 'tiny-sweep');
    assert.deepEqual(summary.skipped, []);
    assert.equal(summary.outcomes.length, 3);
    // One stderr line per finished run with its p and errors, then a table of the runs in numeric p order.
    const finishedLines = first.stderr.split('\n').filter((l) => /^\d\/3 done /.test(l));
    assert.equal(finishedLines.length, 3, first.stderr);
    for (const l of finishedLines)
      assert.match(l, /^\d\/3 done {2}p \d[^ ]* %.* {2}seed 1 {2}train \d+\.\d\d% {2}eval \d+\.\d\d% .*tiny-sweep\.p/);
    const tableRows = first.stderr.split('\n').filter((l) => /\stiny-sweep\.p\S+$/.test(l) && !/^\d\/3/.test(l));
    assert.deepEqual(
      tableRows.map((l) => l.trim().split(/\s+/).at(-1)),
      ['tiny-sweep.p0.s1', 'tiny-sweep.p0.05.s1', 'tiny-sweep.p0.2.s1'],
      first.stderr,
    );
    assert.match(tableRows[0], /^0 % \(intralayer, no skips\)/);

    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    let finishedAt: (string | null)[];
    try {
      const runs = await store.listRuns({ sweepId: 'tiny-sweep' });
      assert.equal(runs.length, 3);
      assert.ok(runs.every((r) => r.status === 'done'));
      // Two worker processes trained them (each run records the process that held it).
      assert.ok(new Set(runs.map((r) => r.worker)).size >= 2, `workers: ${runs.map((r) => r.worker).join(', ')}`);
      const ps = await Promise.all(runs.map(async (r) => (await store.getTopology(r.topologyId)).spec.p));
      // The stored p is that of the whole number of rewirings n nearest the asked-for p.
      for (const [i, p] of ps.sort((x, y) => x - y).entries())
        assert.ok(Math.abs(p - [0, 0.05, 0.2][i]) < 1e-3, `p ${p}`);
      for (const r of runs) assert.equal((await store.listEpochs(r.id)).length, 1);
      finishedAt = runs.map((r) => r.finishedAt).sort();
    } finally {
      await store.close();
    }

    const status = await runCli(['sweep', 'status', 'tiny-sweep', '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    const s = JSON.parse(status.stdout) as { counts: Record<string, number>; runs: { state: string }[] };
    assert.equal(s.counts.done, 3);
    assert.equal(s.counts.waiting, 0);

    const second = await runCli(SWEEP, env);
    assert.equal(second.code, 0, second.stderr);
    const again = events(second.stdout).at(-1) as { skipped: string[]; outcomes: unknown[] };
    assert.equal(again.skipped.length, 3);
    assert.deepEqual(again.outcomes, []);
    const store2 = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      const runs = await store2.listRuns({ sweepId: 'tiny-sweep' });
      assert.deepEqual(runs.map((r) => r.finishedAt).sort(), finishedAt, 'no run was touched by the re-run');
    } finally {
      await store2.close();
    }

    // The same name with a different definition is refused (exit 2), not mixed in.
    const changed = await runCli(
      SWEEP.map((a) => (a === '0,0.05,0.2' ? '0,0.1' : a)),
      env,
    );
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /--name.*different definition/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
