/**
 * The queue worker: takes training jobs from BullMQ and runs each in a child process through the
 * job runner (src/jobs/job-runner.ts), whose results go straight to the configured store. The
 * training runs in a child so this process's event loop stays free to renew the job's lock in
 * Redis: a long stretch of training in-process would let the lock lapse and BullMQ would hand a
 * healthy job to a second worker.
 *
 * Fault tolerance is BullMQ's: while a job runs, this process renews the job's lock every
 * lockDuration/2; if the process dies (kill -9, machine lost) the lock lapses and the next
 * stalled-job check (every stalledInterval, by any worker) puts the job back to wait, where
 * another worker takes it and — through startRun — resumes from the run's last checkpoint.
 * Errors are retried with exponential backoff (attempts and delay are set per job at
 * submission); errors that cannot go away (bad parameters) become UnrecoverableError and fail
 * the job once, with the reason. A stop (SIGTERM) checkpoints the runs in hand and puts their
 * jobs straight back on the queue without spending an attempt.
 */
import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import { configEnv, type Config } from '../config.js';
import { withOpenedStore } from '../store/open.js';
import {
  JOB_NAME,
  QUEUE_NAME,
  parseQueuedRun,
  type QueuedRequest,
  type QueuedRun,
  type QueuedRunProgress,
  type QueuedRunResult,
} from './job.js';
import { parseRedisUrl, type RedisAddress } from './redis-url.js';
import { startTrainingJob, type RunningJob } from '../jobs/job-runner.js';
import { assertStoreReachableByAllWorkers, storeIdentity, storeMismatch, type StoreIdentity } from './store-rule.js';

export interface StallPolicy {
  /** How long a job's lock lasts without renewal (ms); a dead worker's job is free after this. */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock lapsed (ms). */
  stalledIntervalMs: number;
  /** Times a job may be recovered from a lost worker before it fails (guards against a job that kills its worker). */
  maxStalledCount: number;
}

/** BullMQ's defaults for lock and check; a lost worker's job restarts within about a minute. */
export const DEFAULT_STALL_POLICY: StallPolicy = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
};

/** One line per job event, for logs (`eqprop worker --json` prints them as JSON). */
export type WorkerEvent =
  | { event: 'ready'; worker: string; redis: string; store: string; concurrency: number }
  | { event: 'start'; worker: string; runId: string; sweepId: string; attempt: number }
  | { event: 'resumed'; worker: string; runId: string; message: string }
  | { event: 'done'; worker: string; runId: string; end: 'done' | 'skipped'; durationMs: number }
  | { event: 'requeued'; worker: string; runId: string; reason: string }
  | { event: 'failed'; worker: string; runId: string; reason: string; willRetry: boolean }
  | { event: 'stopped'; worker: string };

export interface QueueWorkerOptions {
  redisUrl: string | RedisAddress;
  config: Config;
  concurrency?: number;
  /** Shown in `eqprop sweep status` as the holder of a job; default host:pid. */
  name?: string;
  stall?: Partial<StallPolicy>;
  onEvent?: (event: WorkerEvent) => void;
}

export interface QueueWorker {
  name: string;
  /** Checkpoints the runs in hand, returns their jobs to the queue, disconnects. */
  stop(): Promise<void>;
}

/** The job's run request, or an UnrecoverableError saying why this job can never run here. */
function acceptJob(job: Job<QueuedRun, QueuedRunResult>, ownStore: StoreIdentity): QueuedRequest {
  if (job.name !== JOB_NAME)
    throw new UnrecoverableError(`eqprop/queue: unknown job kind ${JSON.stringify(job.name)}; expected ${JOB_NAME}`);
  const queued = parseQueuedRun(job.data);
  if (queued.request.runId !== job.id)
    throw new UnrecoverableError(
      `eqprop/queue: job id ${job.id} differs from its run id ${queued.request.runId}; expected equal ids`,
    );
  const mismatch = storeMismatch(queued.store, ownStore);
  if (mismatch) throw new UnrecoverableError(mismatch);
  return queued.request;
}

/**
 * A worker whose store is unreachable would fail every job it takes (and, retries spent, a whole
 * sweep within minutes), so it does not start taking jobs until the store answers.
 */
async function checkStore(config: Config): Promise<void> {
  // The store's own errors name the address and what to start; they pass through unchanged.
  await withOpenedStore(config, async (store) => {
    await store.listSweeps();
  });
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const redis = typeof options.redisUrl === 'string' ? parseRedisUrl(options.redisUrl) : options.redisUrl;
  assertStoreReachableByAllWorkers(redis, options.config);
  const stall = { ...DEFAULT_STALL_POLICY, ...options.stall };
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const emit = options.onEvent ?? (() => undefined);
  await checkStore(options.config);
  const ownStore = storeIdentity(options.config);
  /** Training children by run id (= job id). */
  const children = new Map<string, RunningJob>();
  // The children use this worker's store and checkpoints, whatever flags or file it read.
  const childEnv = configEnv(options.config);
  let stopping = false;

  const handleJob = async (job: Job<QueuedRun, QueuedRunResult>, token?: string): Promise<QueuedRunResult> => {
    const started = Date.now();
    const runId = job.id ?? '?';
    let request: QueuedRequest;
    try {
      request = acceptJob(job, ownStore);
    } catch (e) {
      emit({ event: 'failed', worker: name, runId, reason: (e as Error).message, willRetry: false });
      throw e;
    }
    emit({ event: 'start', worker: name, runId, sweepId: request.sweepId, attempt: job.attemptsMade + 1 });
    let resumed = false;
    let lastProgress = 0;
    const child = startTrainingJob(request, {
      env: childEnv,
      // Should this process die, its job goes to another worker: the child must not train on.
      exitWithParent: true,
      onEvent: (event) => {
        if (event.event === 'batch') {
          const now = Date.now();
          if (now - lastProgress < 500 && event.batch < event.batches) return;
          lastProgress = now;
          const progress: QueuedRunProgress = {
            worker: name,
            epoch: event.epoch,
            epochs: request.config.epochs,
            batch: event.batch,
            batches: event.batches,
            trainError: event.trainError,
            resumed,
          };
          job.updateProgress(progress as unknown as object).catch(() => undefined);
        } else if (event.event === 'epoch') {
          const line = `epoch ${event.epoch}: train error ${event.trainError}, eval error ${event.evalError}`;
          job.log(line).catch(() => undefined);
        } else if (event.event === 'run' && event.resumedFrom) {
          resumed = true;
          const { status, worker, checkpoint } = event.resumedFrom;
          const from = checkpoint ? `its checkpoint ${checkpoint}` : 'the start (no checkpoint readable here)';
          const message = `resuming run ${runId} (was ${status}, last held by ${worker ?? 'nobody'}) from ${from}`;
          emit({ event: 'resumed', worker: name, runId, message });
          job.log(`${name}: ${message}`).catch(() => undefined);
        }
      },
      // The child's messages go to our stderr: our stdout carries only this worker's JSON lines.
      onText: (line) => process.stderr.write(`${line}\n`),
    });
    children.set(runId, child);
    if (stopping) child.cancel();
    const outcome = await child.exit.finally(() => children.delete(runId));
    if (outcome.end === 'done' || outcome.end === 'skipped') {
      const result: QueuedRunResult = { runId, end: outcome.end, worker: name, durationMs: Date.now() - started };
      emit({ event: 'done', worker: name, runId, end: outcome.end, durationMs: result.durationMs });
      return result;
    }
    if (outcome.end === 'cancelled') {
      // Stopped by our shutdown after a checkpoint: back on the queue now, no attempt spent.
      emit({ event: 'requeued', worker: name, runId, reason: 'worker stopping' });
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const reason = outcome.error ?? 'the training process failed';
    const willRetry = !outcome.permanent && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
    emit({ event: 'failed', worker: name, runId, reason, willRetry });
    throw outcome.permanent ? new UnrecoverableError(reason) : new Error(reason);
  };

  const worker = new Worker<QueuedRun, QueuedRunResult>(QUEUE_NAME, handleJob, {
    connection: redis.connection,
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: stall.lockDurationMs,
    stalledInterval: stall.stalledIntervalMs,
    maxStalledCount: stall.maxStalledCount,
    // Finished jobs are kept (set per job at submission): they are the queue's record of who did what.
    autorun: false,
  });
  worker.on('error', (e) => {
    process.stderr.write(`eqprop worker ${name}: ${e.message}\n`);
    // BullMQ reports a lock it could not renew only as this error. The job may already be with
    // another worker, so our child must not write another batch: end it at once.
    const lost = /could not renew lock for job (\S+)/.exec(e.message);
    if (lost) children.get(lost[1])?.kill();
  });
  await worker.waitUntilReady();
  worker.run().catch((e: Error) => process.stderr.write(`eqprop worker ${name}: stopped taking jobs: ${e.message}\n`));
  emit({
    event: 'ready',
    worker: name,
    redis: redis.display,
    store: `${options.config.store} ${storeLocation(options.config)}`,
    concurrency: options.concurrency ?? 1,
  });

  return {
    name,
    stop: async () => {
      stopping = true;
      for (const child of children.values()) child.cancel();
      await worker.close();
      emit({ event: 'stopped', worker: name });
    },
  };
}

/** Where the worker's store lives, for its start line: the SQLite file or the Neo4j URI. */
function storeLocation(config: Config): string {
  return config.store === 'sqlite' ? config.sqlitePath : config.neo4j.uri;
}
