/**
 * The child process that trains one queued run (forked by run-in-child.ts). It calls the same
 * single-run function as `eqprop train` and local sweeps (startRun), so a run's results do not
 * depend on where it ran. startRun resumes an unfinished run from its checkpoint and skips a
 * finished one — that is what makes a retried or re-delivered job safe.
 *
 * If the worker that forked it dies (kill -9, machine trouble) the child must not go on
 * training: BullMQ will give the job to another worker, and two processes writing one run's
 * checkpoint would race. It checks after every batch whether its parent is still the one that
 * started it (process.ppid changes when the parent dies) and exits at once, writing nothing.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../graph/errors.js';
import { findRun, startRun } from '../experiments/execute-run.js';
import { openStore } from '../store/open.js';
import { EXIT_ORPHANED, type FromChild, type StartChild, type ToChild } from './child-protocol.js';

const parentPid = process.ppid;

function send(message: FromChild): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) process.exit(EXIT_ORPHANED);
    process.send!(message, undefined, {}, () => resolve());
  });
}

function exitIfOrphaned(): void {
  if (process.ppid !== parentPid || !process.connected) process.exit(EXIT_ORPHANED);
}

/**
 * InputErrors are permanent except those of kind 'busy' (startRun's "being trained right now by
 * process …"): that is the previous worker's child still finishing its batch, gone in a moment.
 */
function isPermanent(e: unknown): boolean {
  return e instanceof InputError && e.kind !== 'busy';
}

async function run(start: StartChild): Promise<void> {
  const { request, config } = start;
  const store = await openStore(config);
  try {
    const before = await findRun(store, request.runId);
    if (before && before.status !== 'done') {
      const from =
        before.checkpoint && existsSync(before.checkpoint)
          ? `its checkpoint ${before.checkpoint}`
          : 'the start (no checkpoint readable here)';
      await send({
        type: 'resumed',
        message: `resuming run ${request.runId} (was ${before.status}, last held by ${before.worker ?? 'nobody'}) from ${from}`,
      });
    }
    let lastProgress = 0;
    const { end } = await startRun(request, {
      store,
      checkpointDir: config.checkpointDir,
      emit: (event) => {
        if (event.event === 'epoch')
          void send({
            type: 'log',
            message: `epoch ${event.epoch}: train error ${event.trainError}, eval error ${event.evalError}`,
          });
      },
      stopRequested: () => {
        exitIfOrphaned();
        return existsSync(start.stopFile);
      },
      onProgress: (p, r) => {
        const now = Date.now();
        if (now - lastProgress < 500 && p.batch < p.batches) return;
        lastProgress = now;
        void send({
          type: 'progress',
          epoch: p.epoch,
          epochs: r.epochs,
          batch: p.batch,
          batches: p.batches,
          trainError: p.trainErrorSoFar,
        });
      },
    });
    await send({ type: 'end', end });
  } finally {
    await store.close();
  }
}

process.on('disconnect', () => process.exit(EXIT_ORPHANED));
process.once('message', (message: ToChild) => {
  run(message).then(
    () => process.exit(0),
    async (e: unknown) => {
      await send({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
        permanent: isPermanent(e),
      }).catch(() => undefined);
      process.exit(1);
    },
  );
});
// Ctrl-C in a terminal reaches the whole process group; the worker alone decides how its
// children stop (through the stop file), so the child ignores it.
process.on('SIGINT', () => undefined);
