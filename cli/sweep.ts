/**
 * `eqprop sweep`: train one network per value of p (or n) and seed, in parallel local worker
 * processes, every run stored under the sweep; `eqprop sweep status <id>`; `eqprop sweep list`.
 * Deterministic ids make a re-run skip finished runs and resume interrupted ones.
 */
import { withLazilyLoadedStore } from './lazy-store.js';
import { Option, type Command } from 'commander';
import { EqpropError } from '../lib/index.js';
import { resolveId } from '../src/store/index.js';
import {
  addStoreOptions,
  configFromFlags,
  examples,
  onStopSignals,
  requireExistingStore,
  asInputError,
  type StoreFlags,
} from './support.js';
import { configEnv } from '../src/config.js';
import { defaultWorkers, LocalProcessExecutor } from '../src/experiments/index.js';
import { parseId, parseNumber } from './parse.js';
import {
  planSweep,
  SWEPT_MODES,
  type SweepDefinition,
  type SweepPlan,
  type TrainingJob,
} from '../src/experiments/index.js';
import {
  flagsOfDefinitionFile,
  sweepDefinitionFromFlags,
  sweepFromJson,
  type SweepDefinitionFlags,
} from './sweep-flags.js';
import { InputError } from '../lib/index.js';
import { namingFlagsAsync, SWEEP_FLAGS } from './flag-names.js';
import { measureJobTopologies } from '../src/experiments/index.js';
import { executeJobs, fileSweep, storedConfigOf, sweepStatus, type SweepResult } from '../src/experiments/index.js';
import { textTable } from '../src/experiments/index.js';
import type { Config } from '../src/config.js';
import { addQueueOption, addQueueStatusOption, maybePrintQueueStatus, maybeSubmitToQueue } from './queue-options.js';
import { addTrainingOptions } from './train.js';
import { formatSeconds, ProgressBar } from './progress.js';
import { finishedRunLine, sweepSummaryTable } from './sweep-lines.js';
import { summariseRuns } from '../src/experiments/index.js';
import type { JobOutcome } from '../src/experiments/index.js';

interface SweepFlags extends SweepDefinitionFlags, StoreFlags {
  queue?: string;
  workers?: string;
  json?: boolean;
  definition?: string;
  request?: string;
}

/** The definition keys a --definition file may hold: the sweep's own options, not store or output ones. */
function definitionKeys(cmd: Command): string[] {
  const excluded = [
    'definition',
    'request',
    'json',
    'queue',
    'store',
    'db',
    'config',
    'checkpointDir',
    'uri',
    'user',
    'password',
    'database',
  ];
  return cmd.options.map((opt) => opt.attributeName()).filter((k) => !excluded.includes(k));
}

/**
 * Flags typed on the command line (or from the environment/config), without commander's defaults,
 * so a file's values are not overridden by a default.
 */
function typedFlagsOnly(flags: SweepFlags, cmd: Command): Partial<SweepFlags> {
  return Object.fromEntries(Object.entries(flags).filter(([key]) => cmd.getOptionValueSource(key) !== 'default'));
}

// The definition's checks are pure and shared with the HTTP API; re-exported for the CLI's callers.
export { sweepDefinitionFromFlags };

export function parseWorkers(raw: string | undefined): number {
  return raw === undefined ? defaultWorkers() : parseNumber('--workers', raw, { integer: true, min: 1, max: 256 });
}

/** A group of jobs filed as one sweep record: a p sweep, or a preset's set of networks. */
export interface JobGroup {
  sweepId: string;
  name: string | null;
  config: Record<string, unknown>;
  jobs: readonly TrainingJob[];
}

export function groupOfPlan(plan: SweepPlan): JobGroup {
  return {
    sweepId: plan.sweepId,
    name: plan.definition.name,
    config: storedConfigOf(plan) as unknown as Record<string, unknown>,
    jobs: plan.jobs,
  };
}

/**
 * Files the group and runs its unfinished jobs on local worker processes with a progress display;
 * shared with `reproduce`.
 */
export async function runGroupLocally(
  plan: JobGroup,
  config: Config,
  workers: number,
  log: (line: string) => void,
  emit?: (event: Record<string, unknown>) => void,
): Promise<SweepResult> {
  const executor = new LocalProcessExecutor({ workers, env: configEnv(config) });
  const abort = new AbortController();
  const signals = onStopSignals(() => {
    log('stopping: each running job checkpoints and is marked cancelled; run the same command again to resume');
    abort.abort();
  });
  const total = plan.jobs.length;
  const bar = process.stderr.isTTY ? new ProgressBar({ total, label: 'sweep' }) : null;
  let finished = 0;
  const active = new Map<string, string>();
  const started = Date.now();
  try {
    return await withLazilyLoadedStore(config, async (store) => {
      await fileSweep(store, plan.sweepId, plan.name, plan.config);
      // A line per finished run (its p and errors, read back from the store), above the bar.
      const lines: Promise<void>[] = [];
      const announce = (job: TrainingJob, outcome: JobOutcome, count: number) =>
        lines.push(
          store
            .listEpochs(job.request.runId)
            .catch(() => [])
            .then((epochs) => {
              if (bar) process.stderr.write('\r\x1b[K');
              log(finishedRunLine(count, total, job, outcome, epochs));
              bar?.update(finished);
            }),
        );
      emit?.({ event: 'sweep', sweepId: plan.sweepId, runs: plan.jobs.length, workers });
      const result = await executeJobs(
        store,
        plan.sweepId,
        plan.jobs,
        executor,
        {
          onReused: (job, source) => log(`reused ${source} for ${job.request.runId}: the same training, already done`),
          onJobStart: (job) => active.set(job.request.runId, 'starting'),
          onEvent: (job, e) => {
            if (e.event === 'batch') active.set(job.request.runId, `epoch ${e.epoch} batch ${e.batch}/${e.batches}`);
            bar?.update(
              finished,
              [...active.entries()].map(([id, s]) => `${id.slice(plan.sweepId.length + 1)}: ${s}`).join(' | '),
            );
          },
          onJobEnd: (job, outcome) => {
            active.delete(job.request.runId);
            finished++;
            emit?.({
              event: 'job',
              runId: job.request.runId,
              status: outcome.status,
              durationMs: outcome.durationMs,
              ...(outcome.error ? { error: outcome.error } : {}),
            });
            announce(job, outcome, finished);
          },
        },
        abort.signal,
      );
      await Promise.all(lines);
      bar?.finish();
      const planned = new Set(plan.jobs.map((j) => j.request.runId));
      const runs = (await store.listRuns({ sweepId: plan.sweepId, limit: 1_000_000 })).filter((r) => planned.has(r.id));
      if (runs.length > 0) log(`\n${sweepSummaryTable(await summariseRuns(store, runs))}`);
      return result;
    }).then((r) => {
      if (r.skipped.length > 0) log(`skipped ${r.skipped.length} finished run(s)`);
      log(
        `sweep ${plan.sweepId}: ${r.outcomes.filter((o) => o.status === 'done').length} trained, ` +
          `${r.skipped.length} already done, ${r.outcomes.filter((o) => o.status === 'failed').length} failed, ` +
          `${r.outcomes.filter((o) => o.status === 'cancelled').length} cancelled in ` +
          `${formatSeconds((Date.now() - started) / 1000)} (${total} runs, ${workers} workers)`,
      );
      return r;
    });
  } finally {
    signals.dispose();
  }
}

export function throwIfFailed(result: SweepResult): void {
  const failed = result.outcomes.filter((o) => o.status === 'failed');
  if (failed.length > 0) {
    throw new EqpropError(
      'experiments',
      `${failed.length} run(s) of sweep ${result.sweepId} failed: ` +
        `${failed.map((f) => `${f.runId}: ${f.error}`).join('; ')}; run the same command again to retry them`,
    );
  }
}

export function register(program: Command): void {
  const cmd = program
    .command('sweep')
    // `sweep status <id> --json`: options after a subcommand belong to the subcommand.
    .enablePositionalOptions()
    .description(
      'train one network per p (or n) value and seed on parallel local workers, grouped under a sweep; ' +
        're-running skips finished runs',
    )
    .option('--sizes <list>', 'layer sizes, input first, e.g. 784,500,500,500,10')
    .option('--mode <mode>', `topology mode: ${SWEPT_MODES.join(', ')} (default replace: --p or --n is given)`)
    .option('--p <values>', 'p values: a list 0,0.01,0.05 or a range start:end:step')
    .option('--n <values>', 'n values (rewirings): a list or a range, e.g. 0:2000:500')
    .option(
      '--families <keys>',
      'a study: topology families crossed with the values, e.g. ' +
        'replace,no-intralayer,no-intralayer:span=2,no-intralayer:to=output (docs/studies.md)',
    )
    .option('--seeds <values>', 'seeds (each seeds its topology and its training run)', '1')
    .option(
      '--small-world <samples>',
      'measure σ and ω of every topology before training, with this many reference graphs each',
    )
    .option('--niter <rounds>', 'swap rounds per edge of each σ/ω reference graph (default 1)')
    .option('--definition <file.json>', 'the sweep as a JSON object of these flags in camelCase; flags typed here win')
    .option('--baseline', "also train the layered network per seed (the reference of the paper's Fig. 5)")
    .option('--name <name>', 'sweep id (default: sweep-<hash of the definition>)')
    .option('--workers <n>', 'parallel worker processes (default: number of cores)')
    .addOption(new Option('--request <json>', 'the whole sweep as settings JSON (used by the HTTP API)').hideHelp());
  addTrainingOptions(cmd, { epochs: 1 });
  cmd.option('--json', 'print the outcome as JSON');
  addQueueOption(cmd);
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop sweep --sizes 784,500,500,500,10 --n 0:200000:500 --epochs 1 --baseline --name fig5-paper   # the ' +
      "paper's Fig. 5 (weeks)",
    'eqprop sweep --sizes 784,64,64,64,10 --p 0,0.01,0.05,0.1 --seeds 1,2 --train 2000 --eval 500 --free-steps ' +
      '60 --clamped-steps 6 --workers 2',
    'eqprop sweep status fig5-small',
  ]);
  cmd.action(async (typed: SweepFlags, self: Command) => {
    const fromFile =
      typed.definition === undefined ? {} : flagsOfDefinitionFile(typed.definition, definitionKeys(self));
    const o = { ...fromFile, ...typedFlagsOnly(typed, self) } as SweepFlags;
    let definition: SweepDefinition;
    let backend = o.backend;
    if (o.request !== undefined) {
      // A whole sweep as settings JSON (the HTTP API's jobs): no definition flags beside it.
      const beside = Object.keys(typedFlagsOnly(typed, self)).filter((k) => definitionKeys(self).includes(k));
      const extra = beside.filter((k) => k !== 'workers');
      if (extra.length > 0 || o.definition !== undefined)
        throw new InputError(
          'cli',
          '--request',
          `given with ${[...extra, ...(o.definition !== undefined ? ['definition'] : [])].join(', ')}`,
          '--request <json> with only --workers, --json, --queue and store flags',
        );
      ({ definition, backend } = sweepFromJson(o.request));
    } else definition = sweepDefinitionFromFlags(o);
    // Errors of the sweep's own fields (a name taken by another definition) are shown as its flags.
    await namingFlagsAsync(SWEEP_FLAGS, async () => {
      const workers = parseWorkers(o.workers);
      const config = configFromFlags({ ...o, backend });
      const plan = planSweep(definition, config.backend);
      // The executor step is swappable: a BullMQ queue (runs on many machines) instead of local processes.
      if (await maybeSubmitToQueue(o, plan, config)) return;
      const log = (line: string) => process.stderr.write(`${line}\n`);
      if (definition.smallWorld) {
        const budget = definition.smallWorld;
        await withLazilyLoadedStore(config, (store) => measureJobTopologies(store, plan.jobs, budget, log));
      }
      // --json: a `sweep` event, a `job` event as each run ends, then the summary (no `event` field).
      const emit = o.json
        ? (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`)
        : undefined;
      const result = await runGroupLocally(groupOfPlan(plan), config, workers, log, emit);
      if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${plan.sweepId}\n`);
      throwIfFailed(result);
    });
  });

  const status = cmd
    .command('status')
    .description('state of every run of a sweep: waiting, running, done, failed, cancelled')
    .argument('<id>', 'sweep id')
    .option('--json', 'print JSON');
  addStoreOptions(status);
  addQueueStatusOption(status);
  examples(status, [
    'eqprop sweep status fig5-small',
    'eqprop sweep status sweep-3f9a0c1b2d4e --json',
    'eqprop sweep status fig5-paper --redis redis://127.0.0.1:6379',
  ]);
  // optsWithGlobals: a store flag typed after the id can land on the parent `sweep` (which has the
  // same flags for running sweeps); either place counts.
  status.action(async (id: string, _o: unknown, self: Command) => {
    const o = self.optsWithGlobals() as StoreFlags & { json?: boolean; redis?: string };
    parseId('<id>', id);
    if (await maybePrintQueueStatus(id, o)) return;
    const config = configFromFlags(o);
    requireExistingStore(config, '<id>', id, 'the id of a stored sweep (eqprop sweep list)');
    await withLazilyLoadedStore(config, async (store) => {
      const s = await asInputError('<id>', 'the id of a stored sweep (eqprop sweep list)', async () =>
        sweepStatus(store, await resolveId(store, 'sweep', id, '<id>')),
      );
      if (o.json) {
        const runs = s.jobs.map((j) => ({
          runId: j.job.request.runId,
          state: j.state,
          point: j.job.point,
          seed: j.job.seed,
          epochsDone: j.epochsDone,
          worker: j.run?.worker ?? null,
          error: j.run?.error ?? null,
        }));
        process.stdout.write(`${JSON.stringify({ sweep: s.sweep, counts: s.counts, runs }, null, 1)}\n`);
        return;
      }
      process.stdout.write(
        `sweep ${s.sweep.id}: ${Object.entries(s.counts)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}\n`,
      );
      process.stdout.write(
        textTable(
          ['run', 'state', 'epochs', 'worker', 'error'],
          s.jobs.map((j) => [
            j.job.request.runId,
            j.state,
            `${j.epochsDone}/${j.job.request.config.epochs}`,
            j.run?.worker ?? null,
            j.run?.error ?? null,
          ]),
        ),
      );
    });
  });

  const list = cmd.command('list').description('list stored sweeps').option('--json', 'print JSON');
  addStoreOptions(list);
  list.action(async (_o: unknown, self: Command) => {
    const o = self.optsWithGlobals() as StoreFlags & { json?: boolean };
    await withLazilyLoadedStore(configFromFlags(o), async (store) => {
      const sweeps = await store.listSweeps();
      if (o.json) return void process.stdout.write(`${JSON.stringify(sweeps, null, 1)}\n`);
      const rows = await Promise.all(
        sweeps.map(async (s) => {
          const runs = await store.listRuns({ sweepId: s.id });
          const c = s.config as { kind?: string; parameter?: string; values?: number[]; preset?: string };
          return [
            s.id,
            c.kind === 'p-sweep' ? `${c.parameter} × ${c.values?.length}` : (c.preset ?? '-'),
            runs.length,
            runs.filter((r) => r.status === 'done').length,
            s.createdAt.slice(0, 19).replace('T', ' '),
          ];
        }),
      );
      process.stdout.write(
        rows.length === 0 ? 'no sweeps\n' : textTable(['sweep', 'what', 'runs', 'done', 'created'], rows),
      );
    });
  });
}
