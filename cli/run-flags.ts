/**
 * The training flags of `eqprop train`, `eqprop sweep` and the presets, turned into the run
 * settings (src/experiments/plan/run-settings.ts) and from there into a validated RunConfig. The CLI
 * only reads its flags' text (numbers, lists, switches) into the settings' fields; the settings'
 * schema checks everything, before any store is opened, so bad input writes nothing, and its
 * errors come back under the flags' names (cli/flag-names.ts). Defaults are the paper's
 * (SPEC §6), so leaving a flag out never silently changes the science; the subset flags
 * (--train/--eval) make quick runs.
 */
import { z } from 'zod';
import { InputError } from '../lib/index.js';
import { parseInput } from '../graph/index.js';
import { validateSpec } from '../graph/index.js';
import type { ResolvedSpec, TopologyMode, TopologySpec } from '../graph/index.js';
import type { TrainConfig } from '../engine/index.js';
import { BACKEND_CHOICES, type BackendChoice } from '../src/config.js';
import {
  checkedTrainConfig,
  dataSizesOf,
  parseRunSettings,
  runRequestOf,
  trainingSettingsFields,
  trainingSettingsSchema,
  type RunSettingsInput,
  type TrainingSettings,
} from '../src/experiments/index.js';
import { dataSizesSchema, parseRunRequest, type DataSizes, type RunRequest } from '../src/experiments/index.js';
import {
  namingFlags,
  namingFlagsAsync,
  requestFlagOf,
  SPEC_FLAGS,
  TRAIN_FLAGS,
  TRAINING_FLAGS,
  withFlags,
  type FlagTable,
} from './flag-names.js';
import { parseChoice, parseId, parseList, parseNumber } from './parse.js';

/** Raw flag values as commander hands them over (strings; booleans for switches). */
export interface TrainingFlags {
  /** engine/datasets/names.ts DATASET_NAMES; absent = the paper's MNIST. */
  dataset?: string;
  train?: string;
  eval?: string;
  test?: string;
  epochs?: string;
  lr?: string;
  perLayer?: boolean;
  ratesAs?: string;
  epsilon?: string;
  beta?: string;
  freeSteps?: string;
  clampedSteps?: string;
  batchSize?: string;
  fixedBetaSign?: boolean;
  adaptive?: boolean;
  seed?: string;
  rateEvery?: string;
  checkpointEvery?: string;
  backend?: string;
  nudging?: string;
  targetFeedback?: string;
  removeSkipsAfter?: string;
  removeIntralayer?: boolean;
  extraInit?: string;
  /** Seed of a once-shuffled batch order (engine/batch-order.ts); absent = the paper's fixed order. */
  shuffleBatches?: string;
}

export interface TopologyFlags {
  sizes?: string;
  mode?: string;
  p?: string;
  n?: string;
  topologySeed?: string;
  spanMin?: string;
  spanMax?: string;
  /** A layer index or "output". */
  skipTarget?: string;
  skipBound?: string;
}

/** `eqprop train`'s flags as strings (commander's values). */
export interface TrainRequestFlags extends TrainingFlags, TopologyFlags {
  /** A stored topology id (not with the inline flags). */
  topology?: string;
  runId?: string;
  sweep?: string;
}

/** Help texts of the skip flags, one place for every command that takes them. */
export const SKIP_FLAG_HELP = {
  spanMin: 'new connections only between layers at least this many apart (≥ 2; a restricted-skip family)',
  spanMax: 'new connections only between layers at most this many apart',
  skipTarget: 'new connections must end in this layer (an index, or "output")',
  skipBound: 'no-intralayer: layer-skipping weights start in U[−a, a] (default: the mean per-layer Glorot bound)',
} as const;

/** A number flag's text (decimal only); its range is the settings' schema's to check. */
const num = (flag: string, raw: string | undefined): number | undefined =>
  raw === undefined ? undefined : parseNumber(flag, raw);

/** Only the keys that were given: a field left out takes the schema's default. */
function given<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The training flags as fields of the settings (what the flags say; nothing checked but their syntax). */
export function trainingSettingsOfFlags(flags: TrainingFlags): Record<string, unknown> {
  const rates = flags.lr === undefined ? undefined : parseList('--lr', flags.lr);
  return given({
    dataset: flags.dataset,
    train: num('--train', flags.train),
    eval: num('--eval', flags.eval),
    test: num('--test', flags.test),
    shuffleBatches: num('--shuffle-batches', flags.shuffleBatches),
    epochs: num('--epochs', flags.epochs),
    batchSize: num('--batch-size', flags.batchSize),
    freeSteps: num('--free-steps', flags.freeSteps),
    clampedSteps: num('--clamped-steps', flags.clampedSteps),
    epsilon: num('--epsilon', flags.epsilon),
    beta: num('--beta', flags.beta),
    rate: rates === undefined ? undefined : rates.length === 1 ? rates[0] : rates,
    rates: flags.perLayer ? 'per-layer' : undefined,
    ratesAs: flags.ratesAs,
    fixedBetaSign: flags.fixedBetaSign ? true : undefined,
    nudging: flags.nudging,
    targetFeedback: flags.targetFeedback,
    removeSkipsAfter: num('--remove-skips-after', flags.removeSkipsAfter),
    removeIntralayer: flags.removeIntralayer ? true : undefined,
    extraInit: flags.extraInit,
    adaptive: flags.adaptive ? true : undefined,
    rateEvery: num('--rate-every', flags.rateEvery),
    checkpointEvery: num('--checkpoint-every', flags.checkpointEvery),
    backend: flags.backend,
  });
}

/** --backend (also a process setting, src/config.ts): one of the backend choices. */
export function parseBackend(raw: string | undefined): BackendChoice | undefined {
  return raw === undefined ? undefined : parseChoice('--backend', raw, BACKEND_CHOICES);
}

/**
 * The one default for --mode in train, sweep and topology build: a p or an n only means something
 * for a layer-skipping net, so giving one implies Algorithm 1 (replace); otherwise layered.
 */
export function defaultMode(flags: { p?: unknown; n?: unknown }): TopologyMode {
  return flags.p !== undefined || flags.n !== undefined ? 'replace' : 'layered';
}

/** "784,500,10" → numbers; a part that is not a number names the flag. */
export function parseSizes(flag: string, raw: string): number[] {
  return raw.split(',').map((part) => {
    const text = part.trim();
    if (!/^\d+$/.test(text))
      throw new InputError(
        'cli',
        flag,
        `${JSON.stringify(part)} is not a positive integer`,
        'at least 2 comma-separated positive integers, e.g. 784,500,500,500,10',
      );
    return Number(text);
  });
}

/**
 * The inline topology flags as a spec (fields of graph/spec.ts); `seedFlag` is the flag of its
 * seed (--topology-seed in train, --seed in topology build).
 */
export function specOfFlags(flags: TopologyFlags, seed: { flag: string; raw: string | undefined }): TopologySpec {
  const sizes = parseSizes('--sizes', flags.sizes ?? '');
  const spec = given({
    sizes,
    mode: (flags.mode ?? defaultMode(flags)) as TopologyMode,
    n: num('--n', flags.n),
    p: num('--p', flags.p),
    seed: num(seed.flag, seed.raw),
    spanMin: num('--span-min', flags.spanMin),
    spanMax: num('--span-max', flags.spanMax),
    targetLayer: flags.skipTarget === 'output' ? sizes.length - 1 : num('--skip-target', flags.skipTarget),
    skipBound: num('--skip-bound', flags.skipBound),
  });
  return spec as TopologySpec;
}

/** Inline topology flags → a resolved spec (graph's validateSpec), errors naming our flags. */
export function parseTopologySpec(flags: TopologyFlags, defaultSeed: number): ResolvedSpec {
  if (flags.sizes === undefined)
    throw new InputError('cli', '--sizes', 'missing', 'layer sizes like 784,500,500,500,10 (or --topology <id>)');
  const table: FlagTable = SPEC_FLAGS.map(([flag, field]) =>
    field === 'seed' ? ['--topology-seed', field] : [flag, field],
  );
  return namingFlags(table, () =>
    validateSpec(specOfFlags(flags, { flag: '--topology-seed', raw: flags.topologySeed ?? String(defaultSeed) })),
  );
}

/** `eqprop train`'s flags as run settings (fields of src/experiments/plan/run-settings.ts). */
export function runSettingsOfFlags(flags: TrainRequestFlags): RunSettingsInput {
  const topology =
    flags.sizes === undefined
      ? undefined
      : specOfFlags(flags, { flag: '--topology-seed', raw: flags.topologySeed ?? flags.seed ?? '1' });
  return given({
    topology,
    topologyId: flags.topology,
    seed: num('--seed', flags.seed),
    runId: flags.runId,
    sweepId: flags.sweep,
    ...trainingSettingsOfFlags(flags),
  }) as RunSettingsInput;
}

/** The training settings a set of flags gives (checked, defaults filled in), errors naming flags. */
function trainingSettingsOf(flags: TrainingFlags, table: FlagTable = TRAINING_FLAGS): TrainingSettings {
  return namingFlags(table, () =>
    parseInput(trainingSettingsSchema, trainingSettingsOfFlags(flags), 'experiments', 'settings'),
  );
}

/**
 * --dataset, --train, --eval and --test → DataSizes, each count checked against what the dataset
 * has (default: all of its split). The dataset is stored only when it is not the paper's MNIST,
 * so MNIST configurations (and the hashes of sweeps, reuse of finished runs) stay as they were.
 */
export function parseDataSizes(flags: TrainingFlags): DataSizes {
  return namingFlags(TRAINING_FLAGS, () => {
    const fields = z.object(trainingSettingsFields).pick({ dataset: true, train: true, eval: true, test: true });
    const s = parseInput(fields, trainingSettingsOfFlags(flags), 'experiments', 'settings');
    const data = dataSizesOf(s);
    parseInput(dataSizesSchema, data, 'experiments', 'data');
    return data;
  });
}

/** Training flags → the engine's TrainConfig (validated for a net with `pairs` adjacent pairs). */
export function parseTrainConfig(flags: TrainingFlags, pairs: number, seedOverride?: number): TrainConfig {
  const table: FlagTable = [...TRAINING_FLAGS, ['--seed', 'seed']];
  const settings = trainingSettingsOf(flags, table);
  const seed = seedOverride ?? num('--seed', flags.seed) ?? 1;
  return namingFlags(table, () => checkedTrainConfig(settings, pairs, seed));
}

/** --lr and --per-layer → the engine's learningRates (length 1 or one per adjacent pair). */
export function parseLearningRates(flags: TrainingFlags, pairs: number): number[] {
  return parseTrainConfig(flags, pairs).learningRates;
}

/**
 * Everything `eqprop train` checks before it creates anything: flags → run settings → a validated
 * RunRequest, every error naming a flag. `storedTopology` reads a stored topology's full id and
 * layer sizes (an unknown id is the caller's error to raise).
 */
export async function trainRequestFromFlags(
  flags: TrainRequestFlags,
  /** The stored topology --topology names (an id or a unique prefix): its full id and layer sizes. */
  storedTopology: (id: string) => Promise<{ id: string; sizes: number[] }>,
  defaults: { backend: BackendChoice },
): Promise<RunRequest> {
  if (flags.topology !== undefined) {
    parseId('--topology', flags.topology);
    for (const flag of ['p', 'n', 'topologySeed', 'spanMin', 'spanMax', 'skipTarget', 'skipBound'] as const) {
      const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (flags[flag] !== undefined)
        throw new InputError('cli', name, 'given with --topology', 'inline topology flags only with --sizes');
    }
  }
  return namingFlagsAsync(TRAIN_FLAGS, async () => {
    const settings = parseRunSettings(runSettingsOfFlags(flags));
    const stored = settings.topologyId === undefined ? undefined : await storedTopology(settings.topologyId);
    return runRequestOf(settings, { backend: defaults.backend, stored });
  });
}

/**
 * `eqprop train --request <json>`: a whole RunRequest as JSON (what sweep executors hand their
 * child processes and the API its jobs: JSON numbers round-trip exactly, flags would not),
 * checked like any run configuration (src/experiments/plan/run-config.ts).
 */
export function parseRunRequestJson(raw: string): RunRequest {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new InputError(
      'cli',
      '--request',
      `not valid JSON (${(e as Error).message})`,
      'a JSON run request {runId?, sweepId?, config: {format: 1, topology, epochs, data, train, backend}}',
    );
  }
  try {
    return parseRunRequest(value);
  } catch (e) {
    throw withFlags(e, requestFlagOf);
  }
}
