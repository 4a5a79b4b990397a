/**
 * What travels through the queue. A job is one training run: its payload is the run request
 * of the sweep planner (src/experiments/plan/sweep-plan.ts) — the run's full configuration, its
 * deterministic run id (which is also the BullMQ job id) and its sweep. Nothing else is needed
 * to run it on any machine, so a worker never has to look up the sweep to start a job.
 */
import { UnrecoverableError } from 'bullmq';
import { InputError } from '../../lib/index.js';
import { parseRunRequest } from '../experiments/plan/run-config.js';
import type { RunRequest } from '../experiments/plan/run-config.js';
import type { StoreIdentity } from './store-rule.js';

/** One queue for every sweep: workers serve whatever is submitted, sweeps are told apart by id. */
export const QUEUE_NAME = 'eqprop-runs';
export const JOB_NAME = 'train';

export type QueuedRequest = RunRequest & { runId: string; sweepId: string };

export interface QueuedRun {
  /** Version of this payload, for workers reading jobs submitted by another release. */
  format: 1;
  request: QueuedRequest;
  /** Where the submitter keeps results; a worker writing elsewhere refuses the job (store-rule.ts). */
  store: StoreIdentity;
}

/** What a finished job returns (kept by BullMQ with the completed job). */
export interface QueuedRunResult {
  runId: string;
  /** done: trained here; skipped: already finished in the store when the job started. */
  end: 'done' | 'skipped';
  worker: string;
  durationMs: number;
}

/** Shown as the job's progress while it trains (and read by `eqprop sweep status`). */
export interface QueuedRunProgress {
  worker: string;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  trainError: number;
  /** True when this attempt continued from another attempt's checkpoint. */
  resumed: boolean;
}

/**
 * Checks a job's payload before anything runs. A malformed payload or bad parameters will not
 * get better on retry, so they become an UnrecoverableError: the job fails once, with the reason.
 */
export function parseQueuedRun(data: unknown): QueuedRun {
  const fail = (why: string) =>
    new UnrecoverableError(
      `eqprop/queue: job payload: ${why}; expected {format: 1, request: <run request with runId and sweepId>, store}`,
    );
  const value = data as Partial<QueuedRun> | null;
  if (!value || typeof value !== 'object') throw fail('not an object');
  if (value.format !== 1) throw fail(`format ${JSON.stringify(value.format)}`);
  let request: RunRequest;
  try {
    request = parseRunRequest(value.request ?? null);
  } catch (e) {
    if (e instanceof InputError) throw new UnrecoverableError(`bad run parameters: ${e.message}`);
    throw e;
  }
  if (typeof request.runId !== 'string' || typeof request.sweepId !== 'string') throw fail('no runId or sweepId');
  const store = value.store;
  const storeOk =
    store?.kind === 'neo4j' ||
    (store?.kind === 'sqlite' && typeof store.host === 'string' && typeof store.path === 'string');
  if (!storeOk)
    throw fail(`store ${JSON.stringify(store)} is neither {kind: "neo4j"} nor {kind: "sqlite", host, path}`);
  return { format: 1, request: request as QueuedRequest, store: store! };
}
