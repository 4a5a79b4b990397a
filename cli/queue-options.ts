/**
 * The queue's pieces of the `eqprop sweep` command (cli/sweep.ts wires them in with a few
 * lines): `--queue <redis-url>` submits the planned runs instead of running them here, and
 * `sweep status <id> --redis <url>` shows the queue's view (waiting / retrying / active / done /
 * failed, which worker holds what) instead of the store's.
 */
import { Option, type Command } from 'commander';
import type { Config } from '../src/config.js';
import type { SweepPlan } from '../src/experiments/index.js';
import {
  assertStoreReachableByAllWorkers,
  enqueueSweep,
  formatEnqueueReport,
  formatSweepQueueStatus,
  parseRedisUrl,
  sweepQueueStatus,
} from '../src/queue/index.js';
import { withOpenedStore } from '../src/store/index.js';

export function addQueueOption(cmd: Command): Command {
  return cmd.addOption(
    new Option(
      '--queue <redis-url>',
      'submit the runs to the BullMQ queue on this Redis (e.g. redis://127.0.0.1:6379) for `eqprop worker`s, ' +
        'instead of running them here',
    ),
  );
}

/** `sweep --queue`: enqueues the plan's unfinished runs and prints a summary; false when --queue was not given. */
export async function maybeSubmitToQueue(
  flags: { queue?: string; json?: boolean },
  plan: SweepPlan,
  config: Config,
): Promise<boolean> {
  if (flags.queue === undefined) return false;
  // URL and store rule first: a refused setup must not even create the SQLite file.
  const redis = parseRedisUrl(flags.queue, '--queue');
  assertStoreReachableByAllWorkers(redis, config);
  const report = await withOpenedStore(config, (store) => enqueueSweep(plan, { redisUrl: redis, store, config }));
  process.stdout.write(
    flags.json ? `${JSON.stringify({ event: 'queued', ...report })}\n` : formatEnqueueReport(report),
  );
  return true;
}

export function addQueueStatusOption(cmd: Command): Command {
  // `sweep` has a --json of its own, and commander gives a flag after a subcommand to the parent
  // when the parent knows it: `sweep status <id> --json` would set sweep's. Pass it down.
  cmd.hook('preAction', (self) => {
    if (self.parent?.opts().json === true) self.setOptionValue('json', true);
  });
  return cmd.addOption(
    new Option(
      '--redis <url>',
      "show the queue's view of a sweep submitted with --queue: waiting / retrying / active / done / failed, and " +
        'which worker holds what',
    ),
  );
}

/** `sweep status <id> --redis <url>`: prints the queue status; false when --redis was not given. */
export async function maybePrintQueueStatus(
  sweepId: string,
  flags: { redis?: string; json?: boolean },
): Promise<boolean> {
  if (flags.redis === undefined) return false;
  const status = await sweepQueueStatus(flags.redis, sweepId);
  process.stdout.write(flags.json ? `${JSON.stringify(status)}\n` : formatSweepQueueStatus(status));
  return true;
}
