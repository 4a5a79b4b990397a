/**
 * The training flags shared by `eqprop train`, `eqprop sweep` and the presets, turned into a
 * validated RunConfig. Everything is checked here, before any store is opened, so bad input
 * writes nothing. Defaults are the paper's (SPEC §6) so that leaving a flag out never silently
 * changes the science; the subset flags (--train/--eval) make quick runs.
 */
import { InputError } from '../../graph/errors.js';
import { PAPER } from '../../graph/paper.js';
import { validateSpec } from '../../graph/spec.js';
import { TOPOLOGY_MODES, type ResolvedSpec, type TopologyMode, type TopologySpec } from '../../graph/types.js';
import { RATES_AS, validateTrainConfig, type RatesAs, type TrainConfig } from '../../engine/config.js';
import { DEFAULT_ADAPTIVE } from '../../engine/adaptive.js';
import { TRAIN_RANGES } from '../../engine/train-ranges.js';
import { DATASET_NAMES, DATASETS, type DatasetName } from '../../engine/datasets/registry.js';
import { BACKEND_CHOICES, type BackendChoice } from '../config.js';
import { parseChoice, parseId, parseList, parseNumber } from './parse.js';
import type { DataSizes, RunConfig, RunRequest } from './run-config.js';
import { validateRunConfig } from './validate-run.js';

/** Raw flag values as commander hands them over (strings; booleans for switches). */
export interface TrainingFlags {
  /** engine/datasets/registry.ts DATASET_NAMES; absent = the paper's MNIST. */
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

/** The skip restriction and bound flags shared by topology build, train and sweep (graph/skip-rule.ts). */
export function parseSkipFlags(
  flags: TopologyFlags,
  sizes: readonly number[],
): Pick<TopologySpec, 'spanMin' | 'spanMax' | 'targetLayer' | 'skipBound'> {
  const K = sizes.length - 1;
  const out: Pick<TopologySpec, 'spanMin' | 'spanMax' | 'targetLayer' | 'skipBound'> = {};
  if (flags.spanMin !== undefined)
    out.spanMin = parseNumber('--span-min', flags.spanMin, { integer: true, min: 2, max: K });
  if (flags.spanMax !== undefined)
    out.spanMax = parseNumber('--span-max', flags.spanMax, { integer: true, min: 2, max: K });
  if (flags.skipTarget !== undefined) {
    out.targetLayer =
      flags.skipTarget === 'output'
        ? K
        : parseNumber('--skip-target', flags.skipTarget, { integer: true, min: 0, max: K });
  }
  if (flags.skipBound !== undefined)
    out.skipBound = parseNumber('--skip-bound', flags.skipBound, { min: 0, minExclusive: true, max: 10 });
  return out;
}

/** Help texts of the skip flags, one place for every command that takes them. */
export const SKIP_FLAG_HELP = {
  spanMin: 'new connections only between layers at least this many apart (≥ 2; a restricted-skip family)',
  spanMax: 'new connections only between layers at most this many apart',
  skipTarget: 'new connections must end in this layer (an index, or "output")',
  skipBound: 'no-intralayer: layer-skipping weights start in U[−a, a] (default: the mean per-layer Glorot bound)',
} as const;

/**
 * --dataset, --train, --eval and --test → DataSizes, each count checked against what the dataset
 * has (default: all of its split). The dataset is stored only when it is not the paper's MNIST,
 * so MNIST configurations (and the hashes of sweeps, reuse of finished runs) stay as they were.
 */
export function parseDataSizes(flags: TrainingFlags): DataSizes {
  const dataset = parseChoice<DatasetName>('--dataset', flags.dataset ?? 'mnist', DATASET_NAMES);
  const info = DATASETS[dataset];
  const testHelp = info.testMax === 0 ? ` (${dataset} has no test set besides --eval, which is its test split)` : '';
  return {
    ...(dataset === 'mnist' ? {} : { dataset }),
    train: parseNumber('--train', flags.train ?? info.trainMax, { integer: true, min: 1, max: info.trainMax }),
    eval: parseNumber('--eval', flags.eval ?? info.evalMax, { integer: true, min: 1, max: info.evalMax }),
    test: parseDataCount('--test', flags.test ?? 0, info.testMax, testHelp),
  };
}

function parseDataCount(flag: string, raw: string | number, max: number, help: string): number {
  if (max === 0 && String(raw) !== '0') throw new InputError('cli', flag, `${raw}${help}`, '0 or leave it out');
  return parseNumber(flag, raw, { integer: true, min: 0, max });
}

/** The dataset a DataSizes names (absent = the paper's MNIST). */
export function datasetOf(data: Pick<DataSizes, 'dataset'> | undefined): DatasetName {
  return data?.dataset ?? 'mnist';
}

/** --shuffle-batches <seed> → a once-shuffled batch order; absent → nothing stored (the paper's fixed order). */
export function parseBatchOrder(raw: string | undefined): Pick<TrainConfig, 'batchOrder'> {
  if (raw === undefined) return {};
  return { batchOrder: { kind: 'shuffled-once', seed: parseSeed(raw, '--shuffle-batches') } };
}

/**
 * The paper's per-layer rates generalised to any depth: the output pair gets the paper's
 * smallest rate (0.002) and each pair one layer farther from the output 4× more (SPEC §3,
 * paper Fig. 1 caption). For 784-500-500-500-10 this is exactly [0.128, 0.032, 0.008, 0.002].
 */
export function perLayerRates(pairs: number): number[] {
  const output = PAPER.perLayerRates[PAPER.perLayerRates.length - 1];
  return Array.from({ length: pairs }, (_, l) => Number((output * 4 ** (pairs - 1 - l)).toPrecision(12)));
}

/** --lr and --per-layer → the engine's learningRates (length 1 or one per adjacent pair). */
export function parseLearningRates(flags: TrainingFlags, pairs: number): number[] {
  if (flags.perLayer && flags.lr !== undefined) {
    throw new InputError(
      'cli',
      '--lr',
      'both --lr and --per-layer given',
      'one of them: --lr <rate>, --lr <r0,…,rK-1>, or --per-layer',
    );
  }
  if (flags.perLayer) {
    // 4× per layer from the output: a very deep net's input rate leaves the range (and overflows).
    const rates = perLayerRates(pairs);
    const { max } = TRAIN_RANGES.learningRate;
    if (rates[0] > max) {
      throw new InputError(
        'cli',
        '--per-layer',
        `the input pair's rate would be ${rates[0]} for ${pairs} layer pairs`,
        `learning rates ≤ ${max}: --lr <rate>, or --lr with one rate per pair`,
      );
    }
    return rates;
  }
  if (flags.lr === undefined) return [PAPER.singleRate];
  const rates = parseList('--lr', flags.lr, TRAIN_RANGES.learningRate);
  if (rates.length !== 1 && rates.length !== pairs) {
    throw new InputError(
      'cli',
      '--lr',
      `${rates.length} rates given for ${pairs} adjacent layer pairs`,
      `1 rate, or ${pairs} comma-separated rates (input pair first)`,
    );
  }
  return rates;
}

/**
 * --rates-as: stored only when it is 'authors-code' with per-layer rates — the one case where it
 * changes the numbers — so the paper's default, and any choice with one rate, leave configurations
 * (and the ids of unnamed sweeps, which hash them; and reuse of finished runs) as they were.
 */
export function parseRatesAs(raw: string | undefined, rates: number): { ratesAs?: RatesAs } {
  const ratesAs = raw === undefined ? 'paper' : parseChoice('--rates-as', raw, RATES_AS);
  return ratesAs === 'paper' || rates === 1 ? {} : { ratesAs };
}

/** Training flags → the engine's TrainConfig (validated for a net with `pairs` adjacent pairs). */
export function parseTrainConfig(flags: TrainingFlags, pairs: number, seedOverride?: number): TrainConfig {
  const learningRates = parseLearningRates(flags, pairs);
  const config: TrainConfig = {
    epsilon: parseNumber('--epsilon', flags.epsilon ?? PAPER.epsilon, TRAIN_RANGES.epsilon),
    beta: parseNumber('--beta', flags.beta ?? PAPER.beta, TRAIN_RANGES.beta),
    freeSteps: parseNumber('--free-steps', flags.freeSteps ?? PAPER.freeSteps, TRAIN_RANGES.freeSteps),
    clampedSteps: parseNumber('--clamped-steps', flags.clampedSteps ?? PAPER.clampedSteps, TRAIN_RANGES.clampedSteps),
    batchSize: parseNumber('--batch-size', flags.batchSize ?? PAPER.batchSize, TRAIN_RANGES.batchSize),
    learningRates,
    ...parseRatesAs(flags.ratesAs, learningRates.length),
    randomBetaSign: !flags.fixedBetaSign,
    ...parseBeyondPaper(flags, pairs),
    ...parseBatchOrder(flags.shuffleBatches),
    seed: seedOverride ?? parseSeed(flags.seed),
    rateEvery: parseNumber('--rate-every', flags.rateEvery ?? 1, TRAIN_RANGES.rateEvery),
    checkpointEvery: parseNumber('--checkpoint-every', flags.checkpointEvery ?? 0, TRAIN_RANGES.checkpointEvery),
    // Beyond the paper, off unless asked: the engine's settling rule, --free-steps the cap.
    ...(flags.adaptive ? { adaptive: { ...DEFAULT_ADAPTIVE } } : {}),
  };
  validateTrainConfig(config, pairs);
  return config;
}

export const NUDGINGS = ['random-sign', 'positive', 'symmetric'] as const;
export type Nudging = (typeof NUDGINGS)[number];

/**
 * The options beyond the paper (docs/SCIENCE.md "Beyond the paper"). Each key is stored only when
 * it differs from the paper, so configurations (their hashes, reuse of finished runs) stay as they were.
 */
export function parseBeyondPaper(flags: TrainingFlags, pairs: number): Partial<TrainConfig> {
  const out: Partial<TrainConfig> = {};
  if (flags.nudging !== undefined) {
    const nudging = parseChoice('--nudging', flags.nudging, NUDGINGS);
    if (flags.fixedBetaSign && nudging !== 'positive') {
      throw new InputError(
        'cli',
        '--nudging',
        `${nudging} together with --fixed-beta-sign`,
        '--nudging positive (the same as --fixed-beta-sign), or one of them',
      );
    }
    if (nudging === 'positive') out.randomBetaSign = false;
    if (nudging === 'symmetric') out.symmetricNudging = true;
  }
  if (flags.targetFeedback !== undefined) out.targetFeedback = parseTargetFeedback(flags.targetFeedback, pairs);
  if (flags.removeSkipsAfter !== undefined) {
    out.removeSkipsAfter = parseNumber('--remove-skips-after', flags.removeSkipsAfter, TRAIN_RANGES.removeSkipsAfter);
  }
  if (flags.removeIntralayer) {
    if (out.removeSkipsAfter === undefined) {
      throw new InputError(
        'cli',
        '--remove-intralayer',
        'given without --remove-skips-after',
        '--remove-skips-after <epochs> as well',
      );
    }
    out.removeIntralayer = true;
  }
  if (flags.extraInit !== undefined) out.extraInit = parseExtraInit(flags.extraInit);
  return out;
}

/** Default scale of target-feedback entries: the paper's U[±0.05] of added connections. */
export const FEEDBACK_SCALE = 0.05;

/** "<layers>:<density>[:<scale>]", layers a comma list of hidden layers, e.g. 1,2:0.1. */
export function parseTargetFeedback(raw: string, pairs: number): NonNullable<TrainConfig['targetFeedback']> {
  const expected = `<layers>:<density>[:<scale>] with hidden layers in 1…${pairs - 1}, e.g. 1,2:0.1`;
  const parts = raw.split(':');
  if (parts.length < 2 || parts.length > 3)
    throw new InputError('cli', '--target-feedback', JSON.stringify(raw), expected);
  const layers = parseList('--target-feedback', parts[0], { integer: true, min: 1, max: pairs - 1 });
  if (new Set(layers).size !== layers.length)
    throw new InputError('cli', '--target-feedback', `layer repeated in ${parts[0]}`, expected);
  const density = parseNumber('--target-feedback', parts[1], { min: 0, minExclusive: true, max: 1 });
  const scale = parts.length === 3 ? parseNumber('--target-feedback', parts[2], { min: 0, max: 10 }) : FEEDBACK_SCALE;
  return { layers: [...layers].sort((a, b) => a - b), density, scale };
}

/** "uniform:<a>", "zero" or "glorot". */
export function parseExtraInit(raw: string): NonNullable<TrainConfig['extraInit']> {
  const expected = 'uniform:<a> (U[−a, a]), zero or glorot';
  if (raw === 'zero' || raw === 'glorot') return { kind: raw };
  const m = /^uniform:(.+)$/.exec(raw);
  if (!m) throw new InputError('cli', '--extra-init', JSON.stringify(raw), expected);
  return { kind: 'uniform', a: parseNumber('--extra-init', m[1], { min: 0, max: 10 }) };
}

export function parseSeed(raw: string | undefined, flag = '--seed'): number {
  return parseNumber(flag, raw ?? 1, TRAIN_RANGES.seed);
}

export function parseEpochs(raw: string | undefined, fallback: number = PAPER.epochs): number {
  return parseNumber('--epochs', raw ?? fallback, { integer: true, min: 1, max: 100_000 });
}

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

export function parseMode(raw: string | undefined, flags: { p?: unknown; n?: unknown } = {}): TopologyMode {
  return parseChoice('--mode', raw ?? defaultMode(flags), TOPOLOGY_MODES);
}

/**
 * Inline topology flags → a resolved spec (graph's validateSpec does the science checks; its
 * `--seed` is our `--topology-seed`).
 */
export function parseTopologySpec(flags: TopologyFlags, defaultSeed: number): ResolvedSpec {
  if (flags.sizes === undefined)
    throw new InputError('cli', '--sizes', 'missing', 'layer sizes like 784,500,500,500,10 (or --topology <id>)');
  // The upper bounds (layer size, total neurons) are graph/spec.ts's, checked by resolveSpec.
  const sizes = parseList('--sizes', flags.sizes, { integer: true, min: 1 });
  const mode = parseMode(flags.mode, flags);
  const seed = flags.topologySeed === undefined ? defaultSeed : parseSeed(flags.topologySeed, '--topology-seed');
  const p = flags.p === undefined ? undefined : parseNumber('--p', flags.p, { min: 0, max: 1 });
  const n =
    flags.n === undefined
      ? undefined
      : parseNumber('--n', flags.n, { min: 0, integer: !(mode === 'per-connection' || mode === 'no-intralayer') });
  return resolveSpec({ sizes, mode, seed, p, n, ...parseSkipFlags(flags, sizes) });
}

/** A resolved spec (n and p both filled in) as the builder takes it: exactly the amount that defines the graph. */
export function buildableSpec(spec: ResolvedSpec): TopologySpec {
  const { sizes, mode, seed, spanMin, spanMax, targetLayer, skipBound } = spec;
  if (mode === 'layered') return { sizes, mode, seed };
  const extra = Object.fromEntries(
    Object.entries({ spanMin, spanMax, targetLayer, skipBound }).filter(([, v]) => v !== undefined),
  );
  const perConnection = mode === 'per-connection' || mode === 'no-intralayer';
  return perConnection ? { sizes, mode, seed, p: spec.p, ...extra } : { sizes, mode, seed, n: spec.n, ...extra };
}

/** validateSpec with its `--seed` field renamed to the flag our commands use. */
export function resolveSpec(spec: TopologySpec, seedFlag = '--topology-seed'): ResolvedSpec {
  try {
    return validateSpec(spec);
  } catch (e) {
    if (e instanceof InputError && e.field === '--seed')
      throw new InputError(
        'cli',
        seedFlag,
        e.message.replace(/^.*?--seed: /, '').replace(/; expected .*$/, ''),
        e.expected,
      );
    throw e;
  }
}

/** A whole RunConfig from flags, for a topology with the given layer sizes. */
export function runConfigFromFlags(
  flags: TrainingFlags,
  topology: RunConfig['topology'],
  sizes: readonly number[],
  defaults: { backend: BackendChoice },
): RunConfig {
  const data = parseDataSizes(flags);
  const train = parseTrainConfig(flags, sizes.length - 1);
  checkBatches(data, train.batchSize);
  return validateRunConfig(
    {
      format: 1,
      topology,
      epochs: parseEpochs(flags.epochs),
      data,
      train,
      backend: parseBackend(flags.backend) ?? defaults.backend,
    },
    sizes,
  );
}

/** A stored DataSizes as the flag strings parseDataSizes reads (so a stored config is checked like flags). */
export function dataFlags(data: Partial<DataSizes> | undefined): TrainingFlags {
  return {
    ...(data?.dataset !== undefined ? { dataset: String(data.dataset) } : {}),
    train: String(data?.train),
    eval: String(data?.eval),
    test: String(data?.test ?? 0),
  };
}

/** Every split must fill at least one whole batch (the engine drops a ragged last batch). */
export function checkBatches(data: DataSizes, batchSize: number): void {
  for (const [flag, count] of [
    ['--train', data.train],
    ['--eval', data.eval],
    ['--test', data.test],
  ] as const) {
    if (count > 0 && count < batchSize) {
      throw new InputError(
        'cli',
        flag,
        `${count} examples is less than one batch of ${batchSize}`,
        `at least --batch-size (${batchSize}) examples, or a smaller --batch-size`,
      );
    }
  }
}

/**
 * `eqprop train --request <json>`: a whole RunRequest as JSON (what sweep executors hand their
 * child processes: JSON numbers round-trip exactly, flags would not). Validated like flags.
 */
export function parseRunRequestJson(raw: string): RunRequest {
  const bad = (problem: string) =>
    new InputError(
      'cli',
      '--request',
      problem,
      'a JSON run request {runId?, sweepId?, config: {format: 1, topology, epochs, data, train, backend}}',
    );
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message})`);
  }
  const r = value as Partial<RunRequest> | null;
  if (!r || typeof r !== 'object' || !r.config || typeof r.config !== 'object') throw bad('no config object');
  const c = r.config;
  if (c.format !== 1) throw bad(`config.format ${JSON.stringify(c.format)}`);
  if (r.runId !== undefined) parseId('--request runId', String(r.runId));
  if (r.sweepId !== undefined && r.sweepId !== null) parseId('--request sweepId', String(r.sweepId));
  if (c.topology?.kind !== 'spec' && (c.topology?.kind !== 'stored' || typeof c.topology.id !== 'string')) {
    throw bad('config.topology is neither {kind: "spec", spec} nor {kind: "stored", id}');
  }
  if (!c.train || typeof c.train !== 'object') throw bad('no config.train');
  // A stored topology's depth and shape are checked when the run starts (the store is not open yet).
  if (c.topology.kind === 'spec') validateRunConfig(c);
  else {
    parseEpochs(String(c.epochs));
    checkBatches(parseDataSizes(dataFlags(c.data)), c.train.batchSize);
    parseChoice('--request config.backend', String(c.backend), BACKEND_CHOICES);
  }
  return r as RunRequest;
}
