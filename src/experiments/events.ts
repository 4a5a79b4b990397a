/**
 * The training event protocol: what `eqprop train --json` prints, one JSON object per line, and
 * what sweep executors and the web server (which relays it over SSE) read. Keep it stable;
 * add fields, never rename or remove them. Documented in the README.
 */
import type { EpochResult } from '../store/contract.js';
import type { ErrorKind } from './error-kind.js';

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
    }
  /** Progress inside an epoch, throttled to about 4 a second. trainError is the running fraction. */
  | { event: 'batch'; epoch: number; batch: number; batches: number; trainError: number }
  /** An epoch finished and is stored. */
  | ({ event: 'epoch' } & EpochResult)
  /** The run reached its last epoch (skipped: it had already finished before this process). */
  | { event: 'done'; runId: string; skipped?: boolean }
  /** SIGTERM/SIGINT: the run was checkpointed and marked cancelled; `--resume` continues it. */
  | { event: 'cancelled'; runId: string }
  /** The run failed (or the input was bad); the process exits non-zero. */
  | { event: 'error'; message: string; runId?: string };

export type EmitEvent = (event: TrainEvent) => void;

/** Parses one protocol line; null for lines that are not events (never throws). */
export function parseEventLine(line: string): TrainEvent | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  try {
    const value = JSON.parse(text) as { event?: unknown };
    return typeof value.event === 'string' ? (value as TrainEvent) : null;
  } catch {
    return null;
  }
}

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
