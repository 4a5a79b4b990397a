/**
 * `eqprop train`: train one network on MNIST, every epoch and rate point stored as it happens,
 * resumable after a crash (`--resume <runId>`). `--json` prints the event protocol
 * (src/experiments/execute/events.ts) on stdout, one JSON object per line.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { BACKEND_CHOICES, type Config } from '../src/config.js';
import { InputError } from '../lib/index.js';
import { DATASET_NAMES } from '../engine/index.js';
import { PAPER } from '../graph/index.js';
import { NotFoundError, type Store, type TopologyRecord } from '../src/store/index.js';
import { resolveId } from '../src/store/index.js';
import {
  addStoreOptions,
  configFromFlags,
  examples,
  exitWithParent,
  onStopSignals,
  type StoreFlags,
} from './support.js';
import { errorEvent, type TrainEvent } from '../src/experiments/index.js';
import { formatError, type ErrorKind } from '../src/experiments/index.js';
import type { ExecuteContext } from '../src/experiments/index.js';
import {
  parseRunRequestJson,
  SKIP_FLAG_HELP,
  trainRequestFromFlags,
  type TopologyFlags,
  type TrainingFlags,
} from './run-flags.js';
import { namingFlagsAsync, SETTING_FLAGS, withFlags } from './flag-names.js';
import { parseId, parseNumber } from './parse.js';
import type { RunRequest } from '../src/experiments/index.js';
import { formatSeconds, ProgressBar } from './progress.js';

interface TrainOptions extends TrainingFlags, TopologyFlags, StoreFlags {
  topology?: string;
  runId?: string;
  sweep?: string;
  request?: string;
  resume?: string;
  json?: boolean;
  threads: string;
  parentPid?: string;
}

/** The training flags, shared with `eqprop sweep` (which sets the topology flags itself). */
export function addTrainingOptions(cmd: Command, defaults: { epochs: number } = { epochs: PAPER.epochs }): Command {
  return (
    cmd
      .option(
        '--dataset <name>',
        `what to train on: ${DATASET_NAMES.join(', ')} (docs/journal.md; default mnist, ` +
          "the paper's 50,000 / 10,000 split); the network's first and last sizes must fit it",
      )
      // No commander defaults for the counts: each dataset's own sizes are the defaults (flags.ts).
      .option(
        '--train <n>',
        `training examples: the first n of the training split (mnist: 1…${PAPER.trainExamples}, ` +
          "default all of the dataset's)",
      )
      .option(
        '--eval <n>',
        `evaluation examples, evaluated every epoch (mnist: the first n of the training file's last ` +
          `${PAPER.evalExamples}; the journal's sets: of the test split; default all)`,
      )
      .option('--test <n>', 'mnist only: also report error on the first n official test images (0 = no)', '0')
      .option(
        '--shuffle-batches <seed>',
        'visit the training batches in one order shuffled once with this seed, the ' +
          "same every epoch (the journal version's MNIST runs; default: the paper's fixed order)",
      )
      .option('--epochs <n>', 'epochs to train', String(defaults.epochs))
      .option(
        '--lr <rates>',
        `one learning rate, or one per adjacent layer pair, input pair first (default ${PAPER.singleRate})`,
      )
      .option(
        '--per-layer',
        `the paper's per-layer rates: output pair ${PAPER.perLayerRates.at(-1)}, ×4 per layer deeper ` +
          `(${PAPER.perLayerRates.join(',')} for 3 hidden layers)`,
      )
      .option(
        '--rates-as <which>',
        "with per-layer rates: 'paper' (every weight and bias at its pair's rate) or 'authors-code' " +
          "(only adjacent blocks scaled; biases, intralayer and skip weights at rate 1, as the authors' code ran; " +
          'SPEC §3)',
        'paper',
      )
      .option('--epsilon <x>', 'step size ε of the dynamics, in (0, 1]', String(PAPER.epsilon))
      .option('--beta <x>', 'nudging strength β > 0 (its sign is random per batch)', String(PAPER.beta))
      .option('--fixed-beta-sign', 'keep β positive instead of drawing its sign per batch')
      .option(
        '--nudging <how>',
        "random-sign (the paper: β's sign drawn per batch), positive (= --fixed-beta-sign) or symmetric (phases " +
          'at +β and −β; Laborieux et al. 2021)',
      )
      .option(
        '--target-feedback <spec>',
        'beyond the paper: hidden layers that feel the target in the clamped phase, ' +
          '<layers>:<density>[:<scale>], e.g. 1,2:0.1 (scale default 0.05)',
      )
      .option(
        '--remove-skips-after <epochs>',
        'beyond the paper: zero and mask out every layer-skipping connection after this many epochs',
      )
      .option('--remove-intralayer', 'with --remove-skips-after: remove the intralayer connections too')
      .option(
        '--extra-init <how>',
        'beyond the paper: initialise intralayer and layer-skipping weights as uniform:<a>, zero or glorot',
      )
      .option('--free-steps <n>', 'free-phase steps (with --adaptive: the most)', String(PAPER.freeSteps))
      .option(
        '--adaptive',
        "beyond the paper: end each example's free phase once it has settled (engine DEFAULT_ADAPTIVE rule)",
      )
      .option('--clamped-steps <n>', 'weakly-clamped-phase steps', String(PAPER.clampedSteps))
      .option('--batch-size <n>', 'examples per batch', String(PAPER.batchSize))
      .option('--rate-every <n>', 'record the per-layer training rate every n batches (0 = never)', '1')
      .option('--checkpoint-every <n>', 'also checkpoint every n batches (0 = at epoch ends and on stop only)', '0')
      .option('--backend <name>', `engine backend: ${BACKEND_CHOICES.join(', ')} (env EQPROP_BACKEND)`)
  );
}

/** Training flags the user actually typed (commander fills defaults; --resume must see none). */
function typedTrainingFlags(cmd: Command): string[] {
  return cmd.options
    .filter(
      (o) =>
        !['resume', 'json', 'config', 'store', 'db', 'checkpointDir', 'backend', 'threads', 'parentPid'].includes(
          o.attributeName(),
        ),
    )
    .filter((o) => cmd.getOptionValueSource(o.attributeName()) === 'cli')
    .map((o) => o.long ?? o.attributeName());
}

export function register(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a network with equilibrium propagation on MNIST; results go to the store as they happen');
  cmd
    .option('--topology <id>', 'a stored topology (eqprop topology build / list)')
    .option('--sizes <list>', 'inline topology: layer sizes, input first, e.g. 784,500,500,500,10')
    .option(
      '--mode <mode>',
      'inline topology: layered, replace, add, per-connection or no-intralayer (default: replace when --p or --n ' +
        'is given, else layered)',
    )
    .option('--p <x>', 'inline topology: fraction of connections rewired, in [0, 1] (not with --n)')
    .option('--n <k>', 'inline topology: number of rewirings (not with --p)')
    .option('--topology-seed <s>', 'inline topology: its seed (default: --seed)')
    .option('--span-min <k>', `inline topology: ${SKIP_FLAG_HELP.spanMin}`)
    .option('--span-max <k>', `inline topology: ${SKIP_FLAG_HELP.spanMax}`)
    .option('--skip-target <layer>', `inline topology: ${SKIP_FLAG_HELP.skipTarget}`)
    .option('--skip-bound <a>', `inline topology: ${SKIP_FLAG_HELP.skipBound}`)
    .option('--seed <s>', 'seed of the training run (β signs) and the default topology seed', '1');
  addTrainingOptions(cmd);
  cmd
    .option(
      '--run-id <id>',
      'id for the new run (default: a UUID); an unfinished run with this id is resumed, a finished one skipped',
    )
    .option('--resume <runId>', 'continue a stored run from its last checkpoint (no other training flags)')
    .option('--json', 'print JSON lines on stdout: run, batch, epoch, done / cancelled / error events')
    .option(
      '--threads <n>',
      "threads for the phases (tfjs backends: worker threads, each a share of each batch's rows and whole " +
        "evaluation batches; onnxruntime: ORT's intra-op threads); the numbers do not depend on it",
      '1',
    )
    .addOption(new Option('--sweep <id>', 'file the run under this sweep').hideHelp())
    .addOption(new Option('--request <json>', 'a whole run request as JSON (used by sweep workers)').hideHelp())
    .addOption(
      new Option(
        '--parent-pid <pid>',
        'exit at once (code 75), writing nothing more, once process <pid> is no longer the parent (queue workers)',
      ).hideHelp(),
    );
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop train --sizes 784,500,500,500,10 --per-layer                      # the paper, Fig. 3 orange (days)',
    'eqprop train --sizes 784,64,64,64,10 --mode replace --p 0.0756 --lr 0.02 --train 2000 --eval 500 --epochs 5 ' +
      '--free-steps 60 --clamped-steps 6',
    'eqprop train --topology topo-784x32x10-layered-s1 --train 1000 --eval 200 --epochs 2 --json',
    'eqprop train --resume 5f0c…                                              # after a crash or Ctrl-C',
  ]);
  cmd.action(async (options: TrainOptions) => {
    const json = Boolean(options.json);
    const emit = (event: TrainEvent) => {
      if (json) process.stdout.write(`${JSON.stringify(event)}\n`);
    };
    let errorEmitted = false;
    const emitTracked = (event: TrainEvent) => {
      if (event.event === 'error') errorEmitted = true;
      emit(event);
      if (!json) printHuman(event);
    };
    try {
      await trainCommand(options, cmd, emitTracked, json);
    } catch (caught) {
      // A store's or the queue's setting (sqlitePath) is named as the flag that sets it.
      const e = withFlags(caught, SETTING_FLAGS);
      if (json && !errorEmitted) emit(errorEvent(e));
      throw e;
    }
  });
}

/** The error kind of the run being printed (its run event comes first). */
let printedErrorKind: ErrorKind = 'class';

function printHuman(event: TrainEvent): void {
  // Clear the progress bar's line first so messages do not land in the middle of it.
  if (event.event !== 'batch' && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  switch (event.event) {
    case 'run':
      printedErrorKind = event.errorKind ?? 'class';
      process.stderr.write(
        `run ${event.runId} (${event.resumed ? 'resumed' : 'new'}) on topology ${event.topologyId}, backend ` +
          `${event.backend}\n`,
      );
      break;
    case 'epoch':
      if (printedErrorKind === 'mse') {
        // Regression: the errors are mean squared errors (docs/journal.md), not percentages.
        process.stdout.write(
          `epoch ${event.epoch}: train ${formatError(event.trainError, 'mse')}, eval ` +
            `${formatError(event.evalError, 'mse')} (${formatSeconds(event.durationMs / 1000)})\n`,
        );
        break;
      }
      process.stdout.write(
        `epoch ${event.epoch}: train error ${(event.trainError * 100).toFixed(2)}%, eval error ` +
          `${(event.evalError * 100).toFixed(2)}%` +
          `${event.testError != null ? `, test error ${(event.testError * 100).toFixed(2)}%` : ''} ` +
          `(${formatSeconds(event.durationMs / 1000)})\n`,
      );
      break;
    case 'done':
      process.stdout.write(
        event.skipped ? `run ${event.runId} had already finished; nothing to do\n` : `run ${event.runId} done\n`,
      );
      break;
    case 'cancelled':
      process.stderr.write(
        `\nrun ${event.runId} checkpointed and cancelled; continue with: eqprop train --resume ${event.runId}\n`,
      );
      break;
    default:
      break;
  }
}

async function trainCommand(
  options: TrainOptions,
  cmd: Command,
  emit: (e: TrainEvent) => void,
  json: boolean,
): Promise<void> {
  // 1. Validate everything that needs no store.
  const config = configFromFlags(options);
  // Threads change how the work is spread, not the results, so they are a property of this
  // process (like the backend), allowed with --resume and not part of the stored configuration.
  const threads = parseNumber('--threads', options.threads, { integer: true, min: 1, max: 64 });
  // Checked now (a worker already gone: nothing is opened) and between batches.
  const parentCheck =
    options.parentPid === undefined
      ? () => undefined
      : exitWithParent(parseNumber('--parent-pid', options.parentPid, { integer: true, min: 1 }));
  if (options.resume !== undefined) {
    parseId('--resume', options.resume);
    const typed = typedTrainingFlags(cmd);
    if (typed.length > 0)
      throw new InputError(
        'cli',
        '--resume',
        `cannot be combined with ${typed.join(', ')} (a resumed run keeps its configuration)`,
        '--resume <runId> with only --json, --backend, --threads and store flags',
      );
  }
  let request: RunRequest | null = null;
  if (options.request !== undefined) {
    request = parseRunRequestJson(options.request);
  } else if (options.resume === undefined) {
    // A stored topology's depth is needed to check --lr: reading the store writes nothing.
    request = await trainRequestFromFlags(
      options,
      async (id) => {
        const stored = await storedTopologyOf(config, id);
        return { id: stored.id, sizes: stored.spec.sizes };
      },
      { backend: config.backend },
    );
  }

  // 2. Run. Heavy modules (TensorFlow.js, SQLite) load only now, so --help and bad input stay quick.
  const { openStore } = await import('../src/store/index.js');
  const { resumeRun, startRun } = await import('../src/experiments/index.js');
  const store = await openStore(config);
  const bar = { current: null as ProgressBar | null };
  const signals = onStopSignals(() =>
    process.stderr.write('\nstopping after this batch (checkpoint, then exit); press Ctrl-C again to quit at once\n'),
  );
  const ctx: ExecuteContext = {
    store,
    checkpointDir: config.checkpointDir,
    threads,
    emit,
    stopRequested: () => {
      parentCheck();
      return signals.stopped();
    },
    onProgress:
      json || !process.stderr.isTTY
        ? undefined
        : (p, run) => {
            bar.current ??= new ProgressBar({ total: p.batches * run.epochs, label: 'train' });
            bar.current.update(
              (p.epoch - 1) * p.batches + p.batch,
              `epoch ${p.epoch}/${run.epochs} batch ${p.batch}/${p.batches} train err ` +
                `${(p.trainErrorSoFar * 100).toFixed(1)}%`,
            );
          },
  };
  try {
    // The run's own errors name its id: the flag that gave it.
    const runIdFlag = options.resume !== undefined ? '--resume' : '--run-id';
    await namingFlagsAsync([[runIdFlag, 'runId']], async () => {
      if (request) await startRun(request, ctx);
      else await resumeRun(await resolveId(store, 'run', options.resume!, '--resume'), ctx);
    });
  } finally {
    // No bar.finish(): the epoch and done lines already replaced the bar on the terminal.
    signals.dispose();
    await store.close();
  }
}

/**
 * The stored topology --topology names (a full id or a unique prefix). Opens the store only to
 * read; a SQLite file that does not exist yet holds no topology (and is not created).
 */
async function storedTopologyOf(config: Config, id: string): Promise<TopologyRecord> {
  if (config.store === 'sqlite' && !existsSync(config.sqlitePath)) {
    throw new InputError(
      'cli',
      '--topology',
      `no stored topology ${JSON.stringify(id)}: ${config.sqlitePath} does not exist yet`,
      'the id of a stored topology (eqprop topology list)',
    );
  }
  return withReadStore(config, (store) => storedTopology(store, id));
}

async function storedTopology(store: Store, id: string) {
  try {
    return await store.getTopology(await resolveId(store, 'topology', id, '--topology'));
  } catch (e) {
    if (e instanceof NotFoundError)
      throw new InputError(
        'cli',
        '--topology',
        `no stored topology ${JSON.stringify(id)} in ${store.location}`,
        'the id of a stored topology (eqprop topology list)',
      );
    throw e;
  }
}

async function withReadStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../src/store/index.js');
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
