/**
 * Runs training jobs as parallel child processes on this machine, at most `workers` at a time,
 * each through the job runner (src/jobs/job-runner.ts: `eqprop train --request <json> --json`,
 * cancelled by SIGTERM when the sweep is stopped). Each child writes its own results to the store.
 */
import { availableParallelism } from 'node:os';
import type { ExecutorObserver, JobExecutor, JobOutcome } from './executor.js';
import type { TrainingJob } from '../plan/sweep-plan.js';
import { startTrainingJob } from '../../jobs/job-runner.js';

export interface LocalExecutorOptions {
  workers?: number;
  /** Environment for the children (store location, backend): the parent's resolved config. */
  env?: NodeJS.ProcessEnv;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export class LocalProcessExecutor implements JobExecutor {
  readonly workers: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: LocalExecutorOptions = {}) {
    this.workers = Math.max(1, options.workers ?? defaultWorkers());
    this.env = options.env ?? process.env;
  }

  async run(
    jobs: readonly TrainingJob[],
    observer: ExecutorObserver = {},
    signal?: AbortSignal,
  ): Promise<JobOutcome[]> {
    const outcomes = new Array<JobOutcome>(jobs.length);
    let next = 0;
    const worker = async (slot: number) => {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index];
        if (signal?.aborted) {
          outcomes[index] = { runId: job.request.runId, status: 'cancelled', durationMs: 0 };
          continue;
        }
        observer.onJobStart?.(job, slot);
        outcomes[index] = await this.runOne(job, observer, signal);
        observer.onJobEnd?.(job, outcomes[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.workers, jobs.length) }, (_, slot) => worker(slot)));
    return outcomes;
  }

  private async runOne(job: TrainingJob, observer: ExecutorObserver, signal?: AbortSignal): Promise<JobOutcome> {
    const start = Date.now();
    const child = startTrainingJob(job.request, { env: this.env, onEvent: (event) => observer.onEvent?.(job, event) });
    const onAbort = () => child.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const { end, error } = await child.exit;
    signal?.removeEventListener('abort', onAbort);
    // The events decide, not the exit code: a signal that lands after the run was stored
    // (during shutdown) does not undo a finished run.
    const runId = job.request.runId;
    const durationMs = Date.now() - start;
    return end === 'failed'
      ? { runId, status: end, error: error ?? 'failed', durationMs }
      : { runId, status: end, durationMs };
  }
}
