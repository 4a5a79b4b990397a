/**
 * Runs training jobs as parallel child processes on this machine: `node bin/eqprop.js train
 * --request <json> --json`, at most `workers` at a time. Child processes rather than worker
 * threads because TensorFlow.js keeps one backend per process and a crashed or killed child
 * cannot take the sweep down with it; each child writes its own results to the store.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { parseEventLine, type TrainEvent } from './events.js';
import type { ExecutorObserver, JobExecutor, JobOutcome } from './executor.js';
import type { TrainingJob } from './sweep-plan.js';

/** bin/eqprop.js of this checkout, found from this file (works from src/ via tsx and from dist/). */
export function eqpropBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bin', 'eqprop.js');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new Error('eqprop/experiments: cannot find bin/eqprop.js above the experiments module');
    dir = up;
  }
}

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

  private runOne(job: TrainingJob, observer: ExecutorObserver, signal?: AbortSignal): Promise<JobOutcome> {
    const start = Date.now();
    const args = [eqpropBin(), 'train', '--request', JSON.stringify(job.request), '--json'];
    const child = spawn(process.execPath, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let last: TrainEvent | null = null;
    let errorMessage: string | undefined;
    let stderrTail = '';
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let newline = buffered.indexOf('\n'); newline >= 0; newline = buffered.indexOf('\n')) {
        const event = parseEventLine(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        if (!event) continue;
        if (event.event === 'error') errorMessage = event.message;
        if (event.event !== 'batch') last = event;
        observer.onEvent?.(job, event);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    return new Promise((resolve) => {
      child.on('close', (code, killedBy) => {
        signal?.removeEventListener('abort', onAbort);
        const durationMs = Date.now() - start;
        const runId = job.request.runId;
        const finalEvent = last as TrainEvent | null;
        // The events decide, not the exit code: a signal that lands after the run was stored
        // (during shutdown) does not undo a finished run.
        if (finalEvent?.event === 'done')
          resolve({ runId, status: finalEvent.skipped ? 'skipped' : 'done', durationMs });
        else if (finalEvent?.event === 'cancelled') resolve({ runId, status: 'cancelled', durationMs });
        else
          resolve({
            runId,
            status: 'failed',
            error: errorMessage ?? (stderrTail.trim() || `exited with ${code ?? killedBy}`),
            durationMs,
          });
      });
    });
  }
}
