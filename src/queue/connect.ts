/**
 * Opening the run queue for short-lived commands (submit, status). They should fail fast and
 * name the address when Redis is not there, instead of retrying forever as a worker does.
 */
import { Queue } from 'bullmq';
import { EqpropError } from '../../lib/index.js';
import { QUEUE_NAME, type QueuedRun, type QueuedRunResult } from './job.js';
import type { RedisAddress } from './redis-url.js';

export type RunQueue = Queue<QueuedRun, QueuedRunResult>;

const CONNECT_TIMEOUT_MS = 5000;

export async function openRunQueue(redis: RedisAddress): Promise<RunQueue> {
  const queue: RunQueue = new Queue(QUEUE_NAME, {
    connection: {
      ...redis.connection,
      maxRetriesPerRequest: 2,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (times: number) => (times > 3 ? null : 250 * times),
    },
  });
  let lastError: Error | null = null;
  queue.on('error', (e) => {
    lastError = e;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.waitUntilReady().then(async (client) => {
        await client.ping();
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CONNECT_TIMEOUT_MS + 1000);
      }),
    ]);
  } catch (e) {
    await queue.close().catch(() => undefined);
    const why = (lastError ?? (e as Error)).message;
    throw new EqpropError(
      'queue',
      `cannot reach Redis at ${redis.display} (${why}); expected a running redis-server at that address (see ` +
        `README, Sweeps on many machines)`,
    );
  } finally {
    clearTimeout(timer);
  }
  return queue;
}

/** The Redis hash listing a sweep's runs (run id → how it was submitted), beside BullMQ's keys. */
export function sweepIndexKey(sweepId: string): string {
  return `eqprop:${QUEUE_NAME}:sweep:${sweepId}`;
}

/** Values stored in the sweep index. */
export const INDEX_QUEUED = 'queued';
/** The run had finished in the store before submission, so no job was added. */
export const INDEX_STORED = 'stored';
