/**
 * The job runner without training: its one parser, the command lines it builds, and how it reports
 * a child's end, with a stand-in CLI (a few lines of JavaScript given as `bin`) that prints what a
 * training process prints. The real CLI behind it is covered by the server, sweep and queue tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  childArguments,
  parseChildLine,
  startJob,
  startTrainingJob,
  type ChildEvent,
} from '../../src/jobs/job-runner.js';
import type { RunRequest } from '../../src/experiments/plan/run-config.js';
import { tempDir } from '../experiments/helpers.js';

test('one parser: event lines, result objects, text; blank lines are nothing', () => {
  assert.deepEqual(parseChildLine(' {"event":"done","runId":"r"} '), {
    kind: 'event',
    event: { event: 'done', runId: 'r' },
  });
  assert.deepEqual(parseChildLine('{"sweepId":"s","outcomes":[]}'), {
    kind: 'result',
    value: { sweepId: 's', outcomes: [] },
  });
  assert.deepEqual(parseChildLine('  epoch 1: train error 12%  '), { kind: 'text', line: 'epoch 1: train error 12%' });
  assert.deepEqual(parseChildLine('{"event": oops'), { kind: 'text', line: '{"event": oops' });
  assert.deepEqual(parseChildLine('[1, 2]'), { kind: 'text', line: '[1, 2]' });
  assert.equal(parseChildLine('   '), null);
});

const request = (runId: string): RunRequest => ({
  runId,
  sweepId: null,
  config: { format: 1 } as RunRequest['config'],
});

test('command lines: a run request is `train --request <json> --json`; flags from the server pass through', () => {
  assert.deepEqual(childArguments({ command: 'train', request: request('r1') }), [
    'train',
    '--request',
    JSON.stringify(request('r1')),
    '--json',
  ]);
  assert.deepEqual(childArguments({ command: 'train', request: request('r1') }, 42).slice(-2), ['--parent-pid', '42']);
  assert.deepEqual(childArguments({ command: 'sweep', args: ['--name', 's', '--p', '0,0.1'] }), [
    'sweep',
    '--name',
    's',
    '--p',
    '0,0.1',
    '--json',
  ]);
});

/** A stand-in for bin/eqprop.js: behaves as the run id in its --request says. */
const FAKE_CLI = `
const args = process.argv.slice(2);
const runId = JSON.parse(args[args.indexOf('--request') + 1]).runId;
const out = (e) => process.stdout.write(JSON.stringify(e) + '\\n');
if (args.includes('--parent-pid')) process.stderr.write('parent ' + args[args.indexOf('--parent-pid') + 1] + '\\n');
out({ event: 'run', runId, resumed: false });
if (runId === 'done') out({ event: 'batch', epoch: 1, batch: 1, batches: 1, trainError: 0.5 });
if (runId === 'done') out({ event: 'done', runId });
if (runId === 'skipped') out({ event: 'done', runId, skipped: true });
if (runId === 'bad') out({ event: 'error', message: 'eqprop/cli: --epochs: 0', permanent: true });
if (runId === 'bad') process.exitCode = 2;
if (runId === 'crash') { console.log('not json'); console.error('Error: out of memory'); process.exit(3); }
if (runId === 'slow') setTimeout(() => {}, 60_000);
if (runId === 'slow-stops') process.on('SIGTERM', () => { out({ event: 'cancelled', runId }); process.exit(0); });
if (runId === 'slow-stops') setTimeout(() => {}, 60_000);
`;

async function withFakeCli<T>(body: (bin: string) => Promise<T>): Promise<T> {
  const dir = tempDir('eqprop-runner-');
  const bin = join(dir, 'fake-eqprop.mjs');
  writeFileSync(bin, FAKE_CLI);
  try {
    return await body(bin);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the exit comes from the last done / cancelled / error event, else from how the process ended', async () => {
  await withFakeCli(async (bin) => {
    const events: string[] = [];
    const texts: string[] = [];
    const done = startTrainingJob(request('done'), {
      bin,
      onEvent: (e) => events.push(e.event),
      onText: (line, stream) => texts.push(`${stream}: ${line}`),
    });
    assert.equal(typeof done.pid, 'number');
    const doneExit = await done.exit;
    assert.deepEqual([doneExit.end, doneExit.error, doneExit.code], ['done', null, 0]);
    assert.deepEqual(events, ['run', 'batch', 'done']);
    assert.deepEqual(texts, []);

    assert.equal((await startTrainingJob(request('skipped'), { bin }).exit).end, 'skipped');

    const bad = await startTrainingJob(request('bad'), { bin }).exit;
    assert.deepEqual([bad.end, bad.error, bad.permanent, bad.code], ['failed', 'eqprop/cli: --epochs: 0', true, 2]);

    const crashTexts: string[] = [];
    const crash = await startTrainingJob(request('crash'), {
      bin,
      onText: (line, stream) => crashTexts.push(`${stream}: ${line}`),
    }).exit;
    assert.deepEqual([crash.end, crash.permanent, crash.code], ['failed', false, 3]);
    assert.equal(crash.error, 'training process exited with code 3: Error: out of memory');
    assert.deepEqual(crashTexts.sort(), ['stderr: Error: out of memory', 'stdout: not json']);
  });
});

test('cancel: SIGTERM once; a child that reports it, or dies of it before it could, ended cancelled', async () => {
  await withFakeCli(async (bin) => {
    const started = (job: ReturnType<typeof startTrainingJob>, events: readonly unknown[]) =>
      new Promise<void>((resolve) => {
        const wait = setInterval(() => {
          if (events.length > 0) {
            clearInterval(wait);
            resolve();
          }
        }, 10);
        void job.exit.then(() => clearInterval(wait));
      });
    for (const runId of ['slow-stops', 'slow']) {
      const events: ChildEvent[] = [];
      const job = startJob({ command: 'train', request: request(runId) }, { bin, onEvent: (e) => events.push(e) });
      await started(job, events);
      job.cancel();
      job.cancel();
      const exit = await job.exit;
      assert.equal(exit.end, 'cancelled', `${runId}: ${JSON.stringify(exit)}`);
      assert.equal(exit.cancelRequested, true);
    }
    // Killed without a cancel: a failure, and not a permanent one.
    const events: unknown[] = [];
    const killed = startTrainingJob(request('slow'), { bin, onEvent: (e) => events.push(e) });
    await started(killed, events);
    killed.kill();
    const exit = await killed.exit;
    assert.deepEqual([exit.end, exit.signal, exit.permanent], ['failed', 'SIGKILL', false]);
    assert.match(exit.error ?? '', /^training process killed by SIGKILL/);
  });
});

test('exitWithParent passes this process id to a training request', async () => {
  await withFakeCli(async (bin) => {
    const lines: string[] = [];
    await startTrainingJob(request('skipped'), { bin, exitWithParent: true, onText: (l) => lines.push(l) }).exit;
    assert.deepEqual(lines, [`parent ${process.pid}`]);
  });
});
