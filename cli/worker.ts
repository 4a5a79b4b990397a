/**
 * `eqprop worker` — trains runs taken from the BullMQ queue on Redis (src/queue) until stopped;
 * results go to the configured store. Start one per machine (or several per machine with
 * --concurrency) after `eqprop sweep … --queue <redis-url>` has submitted a sweep.
 */
import type { Command } from 'commander';
import { addStoreOptions, configFromFlags, examples, type StoreFlags } from './support.js';
import { parseNumber } from './parse.js';
import { DEFAULT_STALL_POLICY, parseRedisUrl, startQueueWorker, type WorkerEvent } from '../src/queue/index.js';

interface WorkerOptions extends StoreFlags {
  redis?: string;
  concurrency: string;
  name?: string;
  lockDuration: string;
  stalledInterval: string;
  maxStalled: string;
  json?: boolean;
}

function describe(e: WorkerEvent): string {
  switch (e.event) {
    case 'ready':
      return `eqprop worker ${e.worker}: waiting for runs on ${e.redis} (store ${e.store}, ${e.concurrency} at a time)`;
    case 'start':
      return `eqprop worker ${e.worker}: run ${e.runId} of sweep ${e.sweepId}, attempt ${e.attempt}`;
    case 'resumed':
      return `eqprop worker ${e.worker}: ${e.message}`;
    case 'done':
      return (
        `eqprop worker ${e.worker}: run ${e.runId} ${e.end === 'done' ? 'done' : 'was already finished'} ` +
        `(${(e.durationMs / 1000).toFixed(1)} s)`
      );
    case 'requeued':
      return `eqprop worker ${e.worker}: run ${e.runId} checkpointed and put back on the queue (${e.reason})`;
    case 'failed':
      return (
        `eqprop worker ${e.worker}: run ${e.runId} failed${e.willRetry ? ' (will be retried)' : ' for good'}: ` +
        `${e.reason}`
      );
    case 'stopped':
      return `eqprop worker ${e.worker}: stopped`;
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('worker')
    .description(
      'train runs from the BullMQ queue on Redis (submitted by `eqprop sweep … --queue`), writing results to the store',
    )
    .option('--redis <url>', 'Redis URL (env REDIS_URL), e.g. redis://127.0.0.1:6379')
    .option('--concurrency <n>', 'runs trained at the same time by this worker (each in its own process)', '1')
    .option('--name <name>', 'name shown by `eqprop sweep status` (default host:pid)')
    .option(
      '--lock-duration <ms>',
      "job lock lifetime; a killed worker's run is taken over after about this long",
      String(DEFAULT_STALL_POLICY.lockDurationMs),
    )
    .option(
      '--stalled-interval <ms>',
      'how often to look for runs whose worker is gone',
      String(DEFAULT_STALL_POLICY.stalledIntervalMs),
    )
    .option(
      '--max-stalled <n>',
      'times a run may lose its worker before it is failed',
      String(DEFAULT_STALL_POLICY.maxStalledCount),
    )
    .option('--json', 'print one JSON object per job event on stdout');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop worker --redis redis://127.0.0.1:6379                          # this machine, SQLite store',
    'EQPROP_STORE=neo4j NEO4J_URI=bolt://db-host:7687 EQPROP_CHECKPOINT_DIR=/mnt/shared/checkpoints \\',
    '  eqprop worker --redis redis://queue-host:6379 --concurrency 2       # one of N machines',
  ]);
  cmd.action(async (opts: WorkerOptions) => {
    const raw = opts.redis ?? process.env.REDIS_URL;
    const redis = parseRedisUrl(raw, raw === undefined ? '--redis / REDIS_URL' : '--redis');
    const concurrency = parseNumber('--concurrency', opts.concurrency, { integer: true, min: 1, max: 64 });
    const stall = {
      lockDurationMs: parseNumber('--lock-duration', opts.lockDuration, { integer: true, min: 1000 }),
      stalledIntervalMs: parseNumber('--stalled-interval', opts.stalledInterval, { integer: true, min: 500 }),
      maxStalledCount: parseNumber('--max-stalled', opts.maxStalled, { integer: true, min: 0 }),
    };
    const config = configFromFlags(opts);
    const print = (e: WorkerEvent) => {
      if (opts.json) process.stdout.write(`${JSON.stringify(e)}\n`);
      else process.stderr.write(`${describe(e)}\n`);
    };
    const worker = await startQueueWorker({
      redisUrl: redis,
      config,
      concurrency,
      name: opts.name,
      stall,
      onEvent: print,
    });
    if (!redis.loopback) {
      // A run whose worker is lost resumes elsewhere from the checkpoint path stored with the run.
      process.stderr.write(
        `eqprop worker ${worker.name}: checkpoints go to ${config.checkpointDir}; for a lost worker's run to ` +
          `resume on another machine this must be one shared directory mounted at the same path on every machine ` +
          `(else that run restarts from epoch 1)\n`,
      );
    }
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
        stopping = true;
        process.stderr.write(
          `eqprop worker ${worker.name}: ${signal}: checkpointing the runs in hand and returning them to the ` +
            `queue (again to quit at once)\n`,
        );
        void worker.stop().then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
  });
}
