/**
 * The executor step of plan → jobs → executor. An executor runs training jobs somewhere and
 * reports how each ended; it never decides what to run. The local one runs child processes on
 * this machine (local-executor.ts); a queue executor (BullMQ) can implement the same
 * interface by enqueueing each job under its run id and waiting for the store to show it done.
 */
import type { TrainEvent } from './events.js';
import type { TrainingJob } from '../plan/sweep-plan.js';

export type JobStatus = 'done' | 'skipped' | 'failed' | 'cancelled';

export interface JobOutcome {
  runId: string;
  status: JobStatus;
  /** Why it failed (last error event or the tail of stderr). */
  error?: string;
  durationMs: number;
}

export interface ExecutorObserver {
  onJobStart?(job: TrainingJob, worker: number): void;
  onEvent?(job: TrainingJob, event: TrainEvent): void;
  onJobEnd?(job: TrainingJob, outcome: JobOutcome): void;
  /** The job was filed as a copy of a finished run with the same training (src/experiments/reuse.ts). */
  onReused?(job: TrainingJob, sourceRunId: string): void;
}

export interface JobExecutor {
  /** Runs every job (skipping none itself: each job skips its own run when already finished). */
  run(jobs: readonly TrainingJob[], observer?: ExecutorObserver, signal?: AbortSignal): Promise<JobOutcome[]>;
}
