/**
 * A training run as people describe it: the fields of the API's train body, of `eqprop train`'s
 * flags (the CLI maps each flag to one of these fields, cli/run-flags.ts) and of a sweep
 * definition file. One zod schema (runSettingsSchema) checks them, fills in the paper's defaults
 * (SPEC §6) and documents them (the OpenAPI document is generated from it); runRequestOf turns
 * checked settings into the run configuration (src/experiments/plan/run-config.ts), whose own schema
 * then checks what ties the fields together. Every error names a settings field (`train`,
 * `topology.p`, `rate`): a configuration's error is named back by SETTING_OF_CONFIG.
 */
import { z } from 'zod';
import { InputError, joinText, nameFromTable, ref, text } from '../../../lib/index.js';
import { PAPER } from '../../../graph/index.js';
import { addProblem, parseInput, rangedNumber, WHEN_FIELDS_VALID } from '../../../graph/index.js';
import { topologySpecSchema, validateSpec } from '../../../graph/index.js';
import { RATES_AS, validateTrainConfig, type RatesAs, type TrainConfig } from '../../../engine/index.js';
import { DEFAULT_ADAPTIVE } from '../../../engine/index.js';
import { TRAIN_RANGES } from '../../../engine/index.js';
import { DATASETS } from '../../../engine/index.js';
import type { BackendChoice } from '../../config.js';
import {
  backendSchema,
  datasetOf,
  datasetSchema,
  epochsSchema,
  idSchema,
  validateRunConfig,
  type DataSizes,
  type Report,
  type RunConfig,
  type RunRequest,
} from './run-config.js';

const MODULE = 'experiments';

export const NUDGINGS = ['random-sign', 'positive', 'symmetric'] as const;
export type Nudging = (typeof NUDGINGS)[number];

/** Default scale of target-feedback entries: the paper's U[±0.05] of added connections. */
export const FEEDBACK_SCALE = 0.05;

const TARGET_FEEDBACK_SYNTAX = '<layers>:<density>[:<scale>] with hidden layers, e.g. 1,2:0.1';
const EXTRA_INIT_SYNTAX = 'uniform:<a> (U[−a, a]), zero or glorot';

/**
 * Decimal text only: Number() would also read '0x14' as 20, '0b1' and '0o7' as binary and octal,
 * and 'Infinity'. An exponent is still decimal (1e-3, and 1e+21 as String() writes big numbers).
 */
export const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A decimal number in text, or NaN. */
export function decimal(raw: string): number {
  const t = raw.trim();
  return DECIMAL.test(t) ? Number(t) : Number.NaN;
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

/**
 * "<layers>:<density>[:<scale>]", layers a comma list of hidden layers, e.g. 1,2:0.1 → the
 * configuration's target feedback (layers sorted), or what is wrong with the text. The ranges
 * (layers below the output, density in (0, 1]) are the configuration's to check.
 */
export function parseTargetFeedback(raw: string): NonNullable<TrainConfig['targetFeedback']> | { problem: string } {
  const parts = raw.split(':');
  if (parts.length < 2 || parts.length > 3) return { problem: JSON.stringify(raw) };
  const layers = parts[0]!.split(',').map(decimal);
  if (layers.some((l) => !Number.isInteger(l)))
    return { problem: `${JSON.stringify(parts[0])} is not a list of layers` };
  if (new Set(layers).size !== layers.length) return { problem: `layer repeated in ${parts[0]}` };
  const density = decimal(parts[1]!);
  const scale = parts.length === 3 ? decimal(parts[2]!) : FEEDBACK_SCALE;
  if (!Number.isFinite(density) || !Number.isFinite(scale)) return { problem: JSON.stringify(raw) };
  return { layers: [...layers].sort((a, b) => a - b), density, scale };
}

/** "uniform:<a>", "zero" or "glorot" → the configuration's extra initialisation, or what is wrong. */
export function parseExtraInit(raw: string): NonNullable<TrainConfig['extraInit']> | { problem: string } {
  if (raw === 'zero' || raw === 'glorot') return { kind: raw };
  const m = /^uniform:(.+)$/.exec(raw);
  const a = m ? decimal(m[1]!) : Number.NaN;
  if (!Number.isFinite(a)) return { problem: JSON.stringify(raw) };
  return { kind: 'uniform', a };
}

const rateSchema = rangedNumber(TRAIN_RANGES.learningRate);

/**
 * The training fields shared by a run and a sweep: what to train on, the hyper-parameters (the
 * paper's when left out) and the options beyond the paper (README "Beyond the paper").
 */
export const trainingSettingsFields = {
  dataset: datasetSchema
    .optional()
    .describe(
      "What to train on (docs/journal.md): 'mnist' (the paper's 50,000 / 10,000 split, the default), " +
        "'mnist-official' or 'fashion-mnist' (60,000 / 10,000), 'diabetes' (regression: 400 / 40, error = mean " +
        "squared error) or 'wine' (150 / 25). The network's first and last sizes must fit it.",
    ),
  train: rangedNumber({ integer: true, min: 1 })
    .optional()
    .describe("Training examples: the first n of the dataset's training split (default: all of them)."),
  eval: rangedNumber({ integer: true, min: 1 })
    .optional()
    .describe('Evaluation examples, evaluated every epoch (default: all of the evaluation split).'),
  test: rangedNumber({ integer: true, min: 0 })
    .default(0)
    .describe('mnist only: also report the error on the first n official test images (0 = no).'),
  shuffleBatches: rangedNumber(TRAIN_RANGES.seed)
    .optional()
    .describe(
      "Seed of a once-shuffled batch order (the journal version's MNIST runs); absent = the paper's fixed order.",
    ),
  batchSize: rangedNumber(TRAIN_RANGES.batchSize).default(PAPER.batchSize).describe('Examples per batch.'),
  freeSteps: rangedNumber(TRAIN_RANGES.freeSteps)
    .default(PAPER.freeSteps)
    .describe('Free-phase steps (with adaptive: the most).'),
  clampedSteps: rangedNumber(TRAIN_RANGES.clampedSteps)
    .default(PAPER.clampedSteps)
    .describe('Weakly-clamped-phase steps.'),
  epsilon: rangedNumber(TRAIN_RANGES.epsilon).default(PAPER.epsilon).describe('Step size ε of the dynamics.'),
  beta: rangedNumber(TRAIN_RANGES.beta).default(PAPER.beta).describe('Nudging strength β > 0.'),
  rate: z
    .union([rateSchema, z.array(rateSchema).min(1)], {
      error: `a learning rate, or one per adjacent layer pair (input pair first), each ${describeRate()}`,
    })
    .optional()
    .describe(`One learning rate (default ${PAPER.singleRate}), or one per adjacent layer pair, input pair first.`),
  rates: z
    .enum(['single', 'per-layer'], { error: "'single' or 'per-layer'" })
    .default('single')
    .describe(
      "'single': one rate for everything (paper §3.2, §3.3); 'per-layer': the paper's per-layer rates, the output " +
        `pair ${PAPER.perLayerRates.at(-1)} and ×4 per layer deeper (§3.1); not with rate.`,
    ),
  ratesAs: z
    .enum(RATES_AS as [RatesAs, ...RatesAs[]], { error: RATES_AS.join(' or ') })
    .default('paper')
    .describe("With per-layer rates: the paper's description ('paper') or what the authors' code did (SPEC §3)."),
  fixedBetaSign: z
    .boolean({ error: 'true or false' })
    .default(false)
    .describe('Keep β positive instead of drawing its sign per batch.'),
  nudging: z
    .enum(NUDGINGS, { error: `one of ${NUDGINGS.join(', ')}` })
    .optional()
    .describe(
      "'random-sign' (the paper: β's sign drawn per batch), 'positive' (β always > 0) or 'symmetric' " +
        '(two clamped phases at +β and −β, Laborieux et al. 2021)',
    ),
  targetFeedback: z
    .string({ error: TARGET_FEEDBACK_SYNTAX })
    .min(1, { error: TARGET_FEEDBACK_SYNTAX })
    .max(200, { error: TARGET_FEEDBACK_SYNTAX })
    .optional()
    .describe(
      'hidden layers that feel the target in the clamped phase through a fixed random matrix: ' +
        `'<layers>:<density>[:<scale>]', e.g. '1,2:0.1' or '1:0.5:0.02' (scale default ${FEEDBACK_SCALE})`,
    ),
  removeSkipsAfter: rangedNumber(TRAIN_RANGES.removeSkipsAfter)
    .optional()
    .describe('zero and mask out every layer-skipping connection after this many epochs (add, train, remove)'),
  removeIntralayer: z
    .boolean({ error: 'true or false' })
    .default(false)
    .describe('with removeSkipsAfter: remove the intralayer connections too'),
  extraInit: z
    .string({ error: EXTRA_INIT_SYNTAX })
    .min(1, { error: EXTRA_INIT_SYNTAX })
    .max(100, { error: EXTRA_INIT_SYNTAX })
    .optional()
    .describe(
      "initialise intralayer and layer-skipping weights at the start: 'uniform:<a>' (U[−a, a]), 'zero' or 'glorot'",
    ),
  adaptive: z
    .boolean({ error: 'true or false' })
    .default(false)
    .describe("Beyond the paper: end each example's free phase once it has settled (freeSteps is the cap)."),
  rateEvery: rangedNumber(TRAIN_RANGES.rateEvery)
    .default(1)
    .describe('Record the per-layer training rate every n batches (0 = never).'),
  checkpointEvery: rangedNumber(TRAIN_RANGES.checkpointEvery)
    .default(0)
    .describe('Also checkpoint every n batches (0 = at epoch ends and on stop only).'),
  backend: backendSchema.optional().describe('Engine backend (default: the configured one).'),
};

function describeRate(): string {
  const { min, max } = TRAIN_RANGES.learningRate;
  return `≥ ${min} and ≤ ${max}`;
}

/** The training settings as a TypeScript type (what the schemas output: defaults filled in). */
export type TrainingSettings = z.output<z.ZodObject<typeof trainingSettingsFields>>;

/**
 * The checks between training fields that need no network: one way of giving rates, one way of
 * fixing β's sign, the switches that only work together, and the syntax of the two spec strings.
 */
export function checkTrainingSettings(s: TrainingSettings, report: Report): void {
  if (s.rate !== undefined && s.rates === 'per-layer')
    report(
      ['rate'],
      text`both ${ref('rate')} and ${ref('rates')} given`,
      joinText(
        text`one of them: ${ref('rate')} (one rate, or one per adjacent layer pair) `,
        text`or the paper's per-layer rates (${ref('rates')})`,
      ),
    );
  if (s.fixedBetaSign && s.nudging !== undefined && s.nudging !== 'positive')
    report(
      ['nudging'],
      text`${s.nudging} together with ${ref('fixedBetaSign')}`,
      text`${ref('nudging')} positive (the same as ${ref('fixedBetaSign')}), or one of them`,
    );
  if (s.removeIntralayer && s.removeSkipsAfter === undefined)
    report(
      ['removeIntralayer'],
      text`given without ${ref('removeSkipsAfter')}`,
      text`${ref('removeSkipsAfter')} <epochs> as well`,
    );
  if (s.targetFeedback !== undefined) {
    const parsed = parseTargetFeedback(s.targetFeedback);
    if ('problem' in parsed) report(['targetFeedback'], parsed.problem, TARGET_FEEDBACK_SYNTAX);
  }
  if (s.extraInit !== undefined) {
    const parsed = parseExtraInit(s.extraInit);
    if ('problem' in parsed) report(['extraInit'], parsed.problem, EXTRA_INIT_SYNTAX);
  }
}

/** The training settings alone (a sweep's, the CLI's training flags): fields and their cross-field checks. */
export const trainingSettingsSchema = z
  .object(trainingSettingsFields)
  .superRefine((s, ctx) => checkTrainingSettings(s, (path, p, x) => addProblem(ctx, path, p, x)), WHEN_FIELDS_VALID);

const TOPOLOGY_EXPECTED = joinText(
  text`exactly one of ${ref('topologyId')} (a stored topology) and `,
  text`${ref('topology')} (a spec to build)`,
);

/** The fields of a run: where its topology comes from, its seed and where it is filed, and its training. */
export const runSettingsFields = {
  topology: topologySpecSchema.optional().describe('An inline topology spec, built (and stored) by the run.'),
  topologyId: idSchema.optional().describe('A stored topology.'),
  seed: rangedNumber(TRAIN_RANGES.seed)
    .default(1)
    .describe('Seed of the training run (β signs, target feedback, extra initialisation).'),
  epochs: epochsSchema.default(PAPER.epochs).describe('Epochs to train.'),
  ...trainingSettingsFields,
  runId: idSchema.optional().describe('Id of the new run (default: a UUID).'),
  sweepId: idSchema.optional().describe('File the run under this sweep.'),
};

export type RunSettings = z.output<z.ZodObject<typeof runSettingsFields>>;
export type RunSettingsInput = z.input<z.ZodObject<typeof runSettingsFields>>;

/** The cross-field checks of a run's settings (a schema that reads them with other limits reuses it). */
export function checkRunSettings(s: RunSettings, ctx: z.RefinementCtx): void {
  const report: Report = (path, problem, expected) => addProblem(ctx, path, problem, expected);
  if ((s.topology === undefined) === (s.topologyId === undefined))
    report(
      ['topologyId'],
      s.topology === undefined ? 'no topology given' : text`both ${ref('topologyId')} and ${ref('topology')} given`,
      TOPOLOGY_EXPECTED,
    );
  checkTrainingSettings(s, report);
}

/** A run's settings: one schema for the API's train body, `eqprop train`'s flags and the defaults. */
export const runSettingsSchema = z.object(runSettingsFields).superRefine(checkRunSettings, WHEN_FIELDS_VALID);

/**
 * Where each field of a run configuration came from in the settings, so an error the
 * configuration's schema finds names the field the person gave (`data.train` → `train`). A key
 * names everything inside it; `.*` keeps the rest of the path (lib/errors.ts nameFromTable).
 */
export const SETTING_OF_CONFIG: ReadonlyMap<string, string> = new Map([
  ['topology.spec', 'topology'],
  ['topology.spec.*', 'topology'],
  ['topology.id', 'topologyId'],
  ['topology', 'topology'],
  ['epochs', 'epochs'],
  ['data.dataset', 'dataset'],
  ['data.train', 'train'],
  ['data.eval', 'eval'],
  ['data.test', 'test'],
  ['train.epsilon', 'epsilon'],
  ['train.beta', 'beta'],
  ['train.freeSteps', 'freeSteps'],
  ['train.clampedSteps', 'clampedSteps'],
  ['train.batchSize', 'batchSize'],
  ['train.learningRates', 'rate'],
  ['train.ratesAs', 'ratesAs'],
  ['train.randomBetaSign', 'nudging'],
  ['train.symmetricNudging', 'nudging'],
  ['train.seed', 'seed'],
  ['train.rateEvery', 'rateEvery'],
  ['train.checkpointEvery', 'checkpointEvery'],
  ['train.adaptive', 'adaptive'],
  ['train.targetFeedback', 'targetFeedback'],
  ['train.removeSkipsAfter', 'removeSkipsAfter'],
  ['train.removeIntralayer', 'removeIntralayer'],
  ['train.extraInit', 'extraInit'],
  ['train.batchOrder', 'shuffleBatches'],
  ['backend', 'backend'],
]);

/** Runs fn; an InputError it throws is renamed from configuration paths to settings fields by `table`. */
export function namingSettings<T>(table: ReadonlyMap<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw e.renamed(nameFromTable(table));
    throw e;
  }
}

/**
 * The data a run trains on: the dataset (stored only when it is not the paper's MNIST, so MNIST
 * configurations and the hashes of sweeps stay as they were) and the counts, each defaulting to
 * all of its split.
 */
export function dataSizesOf(s: Pick<TrainingSettings, 'dataset' | 'train' | 'eval' | 'test'>): DataSizes {
  const dataset = datasetOf(s);
  const info = DATASETS[dataset];
  return {
    ...(dataset === 'mnist' ? {} : { dataset }),
    train: s.train ?? info.trainMax,
    eval: s.eval ?? info.evalMax,
    test: s.test ?? 0,
  };
}

/** The learning rates for a net of `pairs` adjacent layer pairs (length 1 or one per pair). */
function learningRatesOf(s: TrainingSettings, pairs: number, report: Report): number[] {
  if (s.rates === 'per-layer') {
    // 4× per layer from the output: a very deep net's input rate leaves the range (and overflows).
    const rates = perLayerRates(pairs);
    const { max } = TRAIN_RANGES.learningRate;
    if (rates[0]! > max)
      report(
        ['rates'],
        `the input pair's rate would be ${rates[0]} for ${pairs} layer pairs`,
        text`learning rates ≤ ${max}: ${ref('rate')} <rate>, or ${ref('rate')} with one rate per pair`,
      );
    return rates;
  }
  if (s.rate === undefined) return [PAPER.singleRate];
  return typeof s.rate === 'number' ? [s.rate] : [...s.rate];
}

/**
 * Checked training settings → the engine's TrainConfig for `pairs` adjacent layer pairs. Each
 * option beyond the paper is stored only when it differs from the paper, and ratesAs only when
 * it changes the numbers (authors-code with per-layer rates), so configurations (their hashes,
 * reuse of finished runs) stay as they were.
 */
export function trainConfigOf(s: TrainingSettings, pairs: number, seed: number): TrainConfig {
  const throwing: Report = (path, problem, expected) => {
    throw new InputError(MODULE, path.join('.'), problem, expected);
  };
  const learningRates = learningRatesOf(s, pairs, throwing);
  const beyond: Partial<TrainConfig> = {};
  if (s.nudging === 'positive') beyond.randomBetaSign = false;
  if (s.nudging === 'symmetric') beyond.symmetricNudging = true;
  if (s.targetFeedback !== undefined) beyond.targetFeedback = checked(parseTargetFeedback(s.targetFeedback));
  if (s.removeSkipsAfter !== undefined) beyond.removeSkipsAfter = s.removeSkipsAfter;
  if (s.removeIntralayer) beyond.removeIntralayer = true;
  if (s.extraInit !== undefined) beyond.extraInit = checked(parseExtraInit(s.extraInit));
  return {
    epsilon: s.epsilon,
    beta: s.beta,
    freeSteps: s.freeSteps,
    clampedSteps: s.clampedSteps,
    batchSize: s.batchSize,
    learningRates,
    ...(s.ratesAs === 'authors-code' && learningRates.length > 1 ? { ratesAs: s.ratesAs } : {}),
    randomBetaSign: !s.fixedBetaSign,
    ...beyond,
    ...(s.shuffleBatches !== undefined ? { batchOrder: { kind: 'shuffled-once', seed: s.shuffleBatches } } : {}),
    seed,
    rateEvery: s.rateEvery,
    checkpointEvery: s.checkpointEvery,
    // Beyond the paper, off unless asked: the engine's settling rule, freeSteps the cap.
    ...(s.adaptive ? { adaptive: { ...DEFAULT_ADAPTIVE } } : {}),
  };
}

/**
 * Checked training settings → a TrainConfig for `pairs` adjacent layer pairs, validated as the
 * engine will (rates and target feedback against the depth); errors name settings fields.
 */
export function checkedTrainConfig(s: TrainingSettings, pairs: number, seed: number): TrainConfig {
  return namingSettings(SETTING_OF_CONFIG, () => {
    const config = trainConfigOf(s, pairs, seed);
    try {
      validateTrainConfig(config, pairs);
    } catch (e) {
      if (e instanceof InputError) throw e.renamed((field) => `train.${field}`);
      throw e;
    }
    return config;
  });
}

/** A spec string the settings' schema has checked. */
function checked<T extends object>(value: T | { problem: string }): T {
  if ('problem' in value) throw new Error(`eqprop/experiments: unchecked settings (${value.problem})`);
  return value;
}

/** Parses a run's settings (the API's body, the CLI's flags as fields); errors name settings fields. */
export function parseRunSettings(value: unknown): RunSettings {
  return parseInput(runSettingsSchema, value, MODULE, 'settings');
}

/**
 * Checked settings → the run request to start, validated as a whole run configuration (the
 * network fits the dataset, the rates its depth, every split a batch) with every error named by
 * its settings field. A stored topology (settings.topologyId) is passed in by the caller, which
 * read its full id and layer sizes from the store; `backend` is the configured default.
 */
export function runRequestOf(
  settings: RunSettings,
  context: { backend: BackendChoice; stored?: { id: string; sizes: readonly number[] } },
): RunRequest {
  return namingSettings(SETTING_OF_CONFIG, () => {
    const spec = settings.topology ? validateSpec(settings.topology) : null;
    const stored = context.stored;
    if (!spec && !stored)
      throw new InputError(MODULE, 'topology.id', 'the stored topology was not looked up', 'the caller to pass it');
    const sizes = spec ? spec.sizes : stored!.sizes;
    const config: RunConfig = {
      format: 1,
      topology: spec ? { kind: 'spec', spec } : { kind: 'stored', id: stored!.id },
      epochs: settings.epochs,
      data: dataSizesOf(settings),
      train: trainConfigOf(settings, sizes.length - 1, settings.seed),
      backend: settings.backend ?? context.backend,
    };
    validateRunConfig(config, spec ? undefined : sizes);
    return { config, runId: settings.runId, sweepId: settings.sweepId ?? null };
  });
}
