/**
 * Messages between a queue worker and the child process that trains one job (IPC channel of
 * child_process.fork). The training runs in a child so the worker's own event loop stays free to
 * renew the job's lock in Redis: a long synchronous stretch of training in-process would let the
 * lock lapse and BullMQ would hand a healthy job to a second worker.
 */
import type { Config } from '../config.js';
import type { QueuedRequest } from './job.js';

export type ChildConfig = Pick<Config, 'store' | 'sqlitePath' | 'neo4j' | 'checkpointDir'>;

export interface StartChild {
  type: 'start';
  request: QueuedRequest;
  config: ChildConfig;
  /**
   * When this file exists the child checkpoints at the next batch, marks the run cancelled and
   * exits (the worker is shutting down). A file, not a message or a signal, because training
   * keeps the child's event loop busy: only a synchronous check between batches is sure to be seen.
   */
  stopFile: string;
}

export type ToChild = StartChild;

export type FromChild =
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; trainError: number }
  /** A line for the job's log in Redis (BullMQ job logs: epoch results, resumptions). */
  | { type: 'log'; message: string }
  | { type: 'resumed'; message: string }
  | { type: 'end'; end: 'done' | 'skipped' | 'cancelled' }
  /** permanent: the same job will fail the same way again (bad parameters, id clash). */
  | { type: 'error'; message: string; permanent: boolean };

/** Exit code of a child that found its worker gone (parent killed): it stops without writing. */
export const EXIT_ORPHANED = 75;
