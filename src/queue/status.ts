/**
 * Where a queued sweep stands: per run, waiting / retrying / active / done / failed, who holds
 * it and how far it got; plus the workers connected to the queue. Read from Redis only, so it
 * works from any machine that can reach Redis (the web UI calls sweepQueueStatus).
 */
import type { Job } from 'bullmq';
import { InputError } from '../../lib/index.js';
import { INDEX_STORED, openRunQueue, sweepIndexKey, type RunQueue } from './connect.js';
import type { QueuedRun, QueuedRunProgress, QueuedRunResult } from './job.js';
import { parseRedisUrl } from './redis-url.js';
import { escapeForTerminal } from '../../lib/index.js';

export type QueueRunState = 'waiting' | 'retrying' | 'active' | 'done' | 'failed' | 'missing';
export const QUEUE_RUN_STATES: readonly QueueRunState[] = [
  'waiting',
  'retrying',
  'active',
  'done',
  'failed',
  'missing',
];

export interface QueueRunStatus {
  runId: string;
  state: QueueRunState;
  /** The worker holding the run (active), or that finished or last failed it. */
  worker: string | null;
  /** Attempts that ended in an error so far (a worker lost mid-run does not count). */
  failedAttempts: number;
  /**
   * Times a worker started the job: more than failedAttempts + 1 means a worker was lost (kill -9,
   * machine gone) and another took over.
   */
  starts: number;
  progress: QueuedRunProgress | null;
  /** The last error, if any attempt failed (kept when a later attempt succeeded). */
  reason: string | null;
  /** When it will be tried again (state retrying), ISO 8601. */
  retryAt: string | null;
  /** done without a job: the run had finished in the store before it was submitted. */
  finishedBeforeSubmit: boolean;
}

export interface QueueWorkerInfo {
  name: string;
  /** Client address as Redis sees it (host:port). */
  address: string | null;
  /** Run ids this worker holds right now, in this sweep. */
  holds: string[];
}

export interface SweepQueueStatus {
  sweepId: string;
  redis: string;
  counts: Record<QueueRunState, number>;
  runs: QueueRunStatus[];
  /** Every worker connected to the queue (it serves all sweeps), with what it holds of this one. */
  workers: QueueWorkerInfo[];
}

function stateOf(raw: string, job: Job<QueuedRun, QueuedRunResult>): QueueRunState {
  switch (raw) {
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
    case 'active':
      return 'active';
    case 'delayed':
      return job.attemptsMade > 0 ? 'retrying' : 'waiting';
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    default:
      return 'missing';
  }
}

function progressOf(job: Job): QueuedRunProgress | null {
  const p = job.progress as Partial<QueuedRunProgress> | number | undefined;
  return p && typeof p === 'object' && typeof p.epoch === 'number' ? (p as QueuedRunProgress) : null;
}

/** When a delayed job becomes due: BullMQ scores the delayed set by due time × 0x1000 (+ a counter). */
async function retryTime(queue: RunQueue, runId: string): Promise<string | null> {
  const score = await (await queue.client).zscore(queue.keys.delayed, runId);
  return score === null ? null : new Date(Math.floor(Number(score) / 0x1000)).toISOString();
}

async function runStatus(queue: RunQueue, runId: string, indexed: string): Promise<QueueRunStatus> {
  const base: QueueRunStatus = {
    runId,
    state: 'missing',
    worker: null,
    failedAttempts: 0,
    starts: 0,
    progress: null,
    reason: null,
    retryAt: null,
    finishedBeforeSubmit: false,
  };
  const job = await queue.getJob(runId);
  if (!job) return indexed === INDEX_STORED ? { ...base, state: 'done', finishedBeforeSubmit: true } : base;
  const state = stateOf(await job.getState(), job);
  const result = job.returnvalue as QueuedRunResult | null;
  const progress = progressOf(job);
  return {
    ...base,
    state,
    worker: (state === 'done' ? result?.worker : null) ?? job.processedBy ?? progress?.worker ?? null,
    failedAttempts: state === 'done' ? Math.max(0, job.attemptsMade - 1) : job.attemptsMade,
    starts: job.attemptsStarted ?? 0,
    progress,
    reason: job.failedReason || null,
    retryAt: state === 'retrying' ? await retryTime(queue, runId) : null,
  };
}

/** The status of a sweep submitted with `eqprop sweep --queue`; InputError when Redis has never seen it. */
export async function sweepQueueStatus(redisUrl: string, sweepId: string): Promise<SweepQueueStatus> {
  const redis = parseRedisUrl(redisUrl);
  const queue = await openRunQueue(redis);
  try {
    const client = await queue.client;
    const index = await client.hgetall(sweepIndexKey(sweepId));
    const ids = Object.keys(index).sort();
    if (ids.length === 0) {
      throw new InputError(
        'queue',
        'sweepId',
        `no sweep ${JSON.stringify(sweepId)} was submitted to the queue at ${redis.display}`,
        'the id of a sweep submitted to this queue',
      );
    }
    const runs = await Promise.all(ids.map((id) => runStatus(queue, id, index[id])));
    const counts = Object.fromEntries(QUEUE_RUN_STATES.map((s) => [s, 0])) as Record<QueueRunState, number>;
    for (const run of runs) counts[run.state] += 1;
    const clients = (await queue.getWorkers()) as { rawname?: string; addr?: string }[];
    const workers = clients.map((c) => {
      // BullMQ names a worker's Redis connection `<prefix>:<base64 queue>:w:<worker name>`.
      const raw = c.rawname ?? '';
      const at = raw.indexOf(':w:');
      const name = at >= 0 ? raw.slice(at + 3) : 'unnamed';
      return {
        name,
        address: c.addr ?? null,
        holds: runs.filter((r) => r.state === 'active' && r.worker === name).map((r) => r.runId),
      };
    });
    return { sweepId, redis: redis.display, counts, runs, workers };
  } finally {
    await queue.close();
  }
}

function percent(p: QueuedRunProgress): string {
  const done = (p.epoch - 1 + p.batch / Math.max(1, p.batches)) / Math.max(1, p.epochs);
  return (
    `${Math.round(100 * done)}% (epoch ${p.epoch}/${p.epochs}, batch ${p.batch}/${p.batches}, train error ` +
    `${(100 * p.trainError).toFixed(1)}%)`
  );
}

/** Plain-text report for `eqprop sweep status`. */
export function formatSweepQueueStatus(s: SweepQueueStatus): string {
  const c = s.counts;
  const lines = [
    `sweep ${s.sweepId} on ${s.redis}: ${s.runs.length} runs — ${c.waiting} waiting, ${c.retrying} retrying, ` +
      `${c.active} active, ${c.done} done, ${c.failed} failed` +
      (c.missing ? `, ${c.missing} missing from the queue` : ''),
    '',
  ];
  const width = Math.max(...s.runs.map((r) => r.runId.length));
  for (const r of s.runs) {
    let detail = '';
    if (r.state === 'active')
      detail =
        `${r.worker ?? '?'}  ` +
        `${r.progress ? percent(r.progress) : 'starting'}${r.progress?.resumed ? '  resumed from checkpoint' : ''}`;
    else if (r.state === 'done')
      detail = r.finishedBeforeSubmit ? 'finished before submission' : `by ${r.worker ?? '?'}`;
    else if (r.state === 'failed') detail = `after ${r.failedAttempts} attempt(s): ${r.reason ?? 'no reason recorded'}`;
    else if (r.state === 'retrying') detail = `retry at ${r.retryAt} after: ${r.reason ?? '?'}`;
    if (r.starts > 1) detail += `  (started ${r.starts}×)`;
    lines.push(`  ${r.runId.padEnd(width)}  ${r.state.padEnd(8)}  ${detail}`.trimEnd());
  }
  lines.push('', s.workers.length === 0 ? 'workers connected: none' : 'workers connected:');
  for (const w of s.workers)
    lines.push(
      `  ${w.name}${w.address ? ` (${w.address})` : ''}: ` +
        `${w.holds.length ? w.holds.join(', ') : 'idle for this sweep'}`,
    );
  // Failure reasons and worker names come from other processes: print them as text.
  return `${escapeForTerminal(lines.join('\n'), { keepNewlines: true })}\n`;
}
