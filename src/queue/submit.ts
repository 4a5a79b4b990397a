/**
 * `eqprop sweep … --queue <redis-url>`: puts a planned sweep's runs on the queue instead of
 * running them here. Idempotent by construction — the BullMQ job id is the run id, which the
 * planner derives from (sweep, topology parameters, seed): adding a job whose id exists is a
 * no-op in BullMQ, and runs already finished in the store are not queued at all. Submitting a
 * sweep twice therefore adds nothing; jobs that had failed for good are put back once (the
 * resubmission is the user's "try again").
 */
import type { Config } from '../config.js';
import type { RunRecord, Store } from '../store/contract.js';
import type { SweepPlan } from '../experiments/plan/sweep-plan.js';
import { fileSweep, storedConfigOf } from '../experiments/execute/sweep-run.js';
import { INDEX_QUEUED, INDEX_STORED, openRunQueue, sweepIndexKey } from './connect.js';
import { JOB_NAME, type QueuedRun } from './job.js';
import { parseRedisUrl, type RedisAddress } from './redis-url.js';
import { assertStoreReachableByAllWorkers, storeIdentity } from './store-rule.js';

export interface RetryPolicy {
  /** Attempts per job, the first included (a stalled job moved back by BullMQ does not use one). */
  attempts: number;
  /** First retry delay; each next one doubles (BullMQ exponential backoff). */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 10_000 };

export interface EnqueueReport {
  sweepId: string;
  redis: string;
  /** New jobs. */
  added: string[];
  /** Jobs already in the queue (waiting, active, retrying or done there). */
  alreadyQueued: string[];
  /** Jobs that had failed and were put back to wait. */
  requeued: string[];
  /** Runs finished in the store: nothing to do. */
  finished: string[];
}

async function existingRuns(store: Store, sweepId: string): Promise<Map<string, RunRecord>> {
  return new Map((await store.listRuns({ sweepId })).map((run) => [run.id, run]));
}

/**
 * Files the sweep in the store (so the UI and reports find it at once; an existing sweep of that
 * id must have the same definition) and enqueues every run
 * that is not finished. `config` is the submitter's resolved configuration, checked against the
 * store rule (store-rule.ts): a SQLite store with a Redis off this machine is refused.
 */
export async function enqueueSweep(
  plan: SweepPlan,
  options: {
    redisUrl: string | RedisAddress;
    store: Store;
    config: Pick<Config, 'store' | 'sqlitePath'>;
    retry?: Partial<RetryPolicy>;
  },
): Promise<EnqueueReport> {
  const redis = typeof options.redisUrl === 'string' ? parseRedisUrl(options.redisUrl) : options.redisUrl;
  assertStoreReachableByAllWorkers(redis, options.config);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const { store } = options;
  const { sweepId } = plan;
  const report: EnqueueReport = {
    sweepId,
    redis: redis.display,
    added: [],
    alreadyQueued: [],
    requeued: [],
    finished: [],
  };

  const queue = await openRunQueue(redis);
  try {
    // Filed exactly as a local sweep files it, so either way of running can finish the other's sweep.
    await fileSweep(store, sweepId, plan.definition.name, storedConfigOf(plan) as unknown as Record<string, unknown>);
    const runs = await existingRuns(store, sweepId);
    const client = await queue.client;
    const index = sweepIndexKey(sweepId);
    const toAdd: { name: string; data: QueuedRun; opts: object }[] = [];
    for (const job of plan.jobs) {
      const runId = job.request.runId;
      const state = await queue.getJobState(runId);
      if (state === 'unknown') {
        if (runs.get(runId)?.status === 'done') {
          report.finished.push(runId);
          await client.hsetnx(index, runId, INDEX_STORED);
          continue;
        }
        toAdd.push({
          name: JOB_NAME,
          data: { format: 1, request: job.request, store: storeIdentity(options.config) },
          opts: {
            jobId: runId,
            attempts: retry.attempts,
            backoff: { type: 'exponential', delay: retry.backoffMs },
            removeOnComplete: false,
            removeOnFail: false,
          },
        });
        report.added.push(runId);
      } else if (state === 'failed') {
        const failed = await queue.getJob(runId);
        await failed?.retry('failed');
        report.requeued.push(runId);
      } else {
        report.alreadyQueued.push(runId);
      }
      await client.hset(index, runId, INDEX_QUEUED);
    }
    if (toAdd.length > 0) await queue.addBulk(toAdd);
    return report;
  } finally {
    await queue.close();
  }
}

export function formatEnqueueReport(r: EnqueueReport): string {
  const lines = [
    `sweep ${r.sweepId}: ${r.added.length} run(s) queued on ${r.redis}` +
      (r.alreadyQueued.length ? `, ${r.alreadyQueued.length} already in the queue` : '') +
      (r.requeued.length ? `, ${r.requeued.length} failed run(s) queued again` : '') +
      (r.finished.length ? `, ${r.finished.length} already finished (skipped)` : ''),
    `start workers with: eqprop worker --redis ${r.redis}`,
    `follow it with:     eqprop sweep status ${r.sweepId} --redis ${r.redis}`,
  ];
  return `${lines.join('\n')}\n`;
}
