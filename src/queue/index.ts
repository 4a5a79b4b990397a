/**
 * Sweeps beyond one machine: a BullMQ queue on Redis between `eqprop sweep --queue` (submits)
 * and `eqprop worker` (trains), results in the shared store. See README, Sweeps on many machines.
 */
export { enqueueSweep, formatEnqueueReport, DEFAULT_RETRY, type EnqueueReport, type RetryPolicy } from './submit.js';
export {
  sweepQueueStatus,
  formatSweepQueueStatus,
  QUEUE_RUN_STATES,
  type SweepQueueStatus,
  type QueueRunStatus,
  type QueueRunState,
  type QueueWorkerInfo,
} from './status.js';
export {
  startQueueWorker,
  DEFAULT_STALL_POLICY,
  type QueueWorker,
  type QueueWorkerOptions,
  type StallPolicy,
  type WorkerEvent,
} from './worker-loop.js';
export { parseRedisUrl, isLoopbackHost, type RedisAddress } from './redis-url.js';
export { assertStoreReachableByAllWorkers } from './store-rule.js';
export { QUEUE_NAME, parseQueuedRun, type QueuedRun, type QueuedRunResult, type QueuedRunProgress } from './job.js';
