/**
 * The training event protocol: what `eqprop train --json` prints, one JSON object per line, and
 * what the job runner (src/jobs/job-runner.ts: the web server's jobs, which it relays over SSE,
 * local sweeps and queue workers) reads. Keep it stable; add fields, never rename or remove them.
 * Documented in docs/guide/training.md.
 */
import { InputError } from '../../../lib/index.js';
import type { EpochResult, RunStatus } from '../../store/contract.js';
import type { ErrorKind } from '../summarise/error-kind.js';

export type TrainEvent =
  /** First line: the run exists in the store (created, resumed, or already finished). */
  | {
      event: 'run';
      runId: string;
      topologyId: string;
      backend: string;
      sweepId: string | null;
      resumed: boolean;
      /** What the epochs' errors are: class error fractions, or a regression's mean squared error. */
      errorKind?: ErrorKind;
      /**
       * A resumed run: its status and holder (host:pid) before this process took it over, and the
       * checkpoint training continues from (null: from the start, no checkpoint was readable).
       */
      resumedFrom?: { status: RunStatus; worker: string | null; checkpoint: string | null };
    }
  /** Progress inside an epoch, throttled to about 4 a second. trainError is the running fraction. */
  | { event: 'batch'; epoch: number; batch: number; batches: number; trainError: number }
  /** An epoch finished and is stored. */
  | ({ event: 'epoch' } & EpochResult)
  /** The run reached its last epoch (skipped: it had already finished before this process). */
  | { event: 'done'; runId: string; skipped?: boolean }
  /** SIGTERM/SIGINT: the run was checkpointed and marked cancelled; `--resume` continues it. */
  | { event: 'cancelled'; runId: string }
  /**
   * The run failed (or the input was bad); the process exits non-zero. permanent: the same
   * request fails the same way again (bad input), so retrying it is pointless (queue workers).
   */
  | { event: 'error'; message: string; runId?: string; permanent?: boolean };

export type EmitEvent = (event: TrainEvent) => void;

/**
 * Bad input fails again on every retry, except InputErrors of kind 'busy' (startRun's "being
 * trained right now by process …"): that is another process still finishing, gone in a moment.
 */
export function isPermanentError(e: unknown): boolean {
  return e instanceof InputError && e.kind !== 'busy';
}

/** The error event of a thrown error. */
export function errorEvent(e: unknown, runId?: string): Extract<TrainEvent, { event: 'error' }> {
  const message = e instanceof Error ? e.message : String(e);
  return { event: 'error', message, ...(runId === undefined ? {} : { runId }), permanent: isPermanentError(e) };
}

/**
 * Exit code of a training process that found the process it was started by gone (`eqprop train
 * --parent-pid`, used by queue workers): it stops at once, writing nothing more, because the run's
 * job now belongs to another worker.
 */
export const EXIT_ORPHANED = 75;

/** Minimum gap between two batch events (≈ 4 a second). */
export const BATCH_EVENT_INTERVAL_MS = 250;

/** Lets through at most one batch event per interval, and always the last batch of an epoch. */
export function batchThrottle(
  intervalMs = BATCH_EVENT_INTERVAL_MS,
  now: () => number = Date.now,
): (batch: number, batches: number) => boolean {
  let last = -Infinity;
  return (batch, batches) => {
    const t = now();
    if (batch >= batches || t - last >= intervalMs) {
      last = t;
      return true;
    }
    return false;
  };
}
