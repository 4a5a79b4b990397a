/**
 * The training hyper-parameters of one run (SPEC §2–3, §6) and their validation.
 */
import { z } from 'zod';
import { formatPath, InputError, ref, text, type MessageText } from '../lib/index.js';
import { PAPER } from '../graph/index.js';
import { addProblem, parseInput, rangedNumber, showValue, WHEN_FIELDS_VALID } from '../graph/index.js';
import type { AdaptiveFreePhase } from './adaptive.js';
import { describeRange, inRange, TRAIN_RANGES as R } from './train-ranges.js';
import type { BatchOrder } from './batch-order.js';

/**
 * What per-layer rates apply to (SPEC §3). 'paper': the paper's description — adjacent, intralayer
 * and layer-skipping weights and the biases all take the rate of their pair class. 'authors-code':
 * what the authors' published code does — only adjacent-layer weight blocks are scaled; biases,
 * intralayer and layer-skipping weights are updated at rate 1. Identical with one rate.
 */
export type RatesAs = 'paper' | 'authors-code';
export const RATES_AS: readonly RatesAs[] = ['paper', 'authors-code'];

export interface TrainConfig {
  /** Step size ε of the discretised dynamics. */
  epsilon: number;
  /** Magnitude of the nudging strength β (> 0); its sign is drawn per batch when randomBetaSign. */
  beta: number;
  freeSteps: number;
  clampedSteps: number;
  batchSize: number;
  /** Length 1: one rate for every weight and bias; length K: one rate per adjacent layer pair (SPEC §3). */
  learningRates: number[];
  /** How per-layer rates are applied; absent = 'paper' (runs stored before the choice existed). */
  ratesAs?: RatesAs;
  /** Flip the sign of β with probability ½ at the start of each batch (SPEC §2). */
  randomBetaSign: boolean;
  /** Seeds the engine's Rng (the β signs). The topology has its own seed. */
  seed: number;
  /** Record the per-layer training rate (SPEC §5 eq. 2) every k batches; 0 = never. */
  rateEvery: number;
  /** Write a checkpoint every k batches (when a checkpoint path is given); 0 = at epoch end only. */
  checkpointEvery: number;
  /**
   * Beyond the paper: stop each example's free phase once it has settled (engine/adaptive.ts);
   * freeSteps is then the cap. Absent or null: the paper's fixed freeSteps.
   */
  adaptive?: AdaptiveFreePhase | null;
  /**
   * Beyond the paper (Laborieux et al. 2021): two weakly-clamped phases from the free state, at +β
   * and −β, and the update (ρ(s⁺)ᵀρ(s⁺) − ρ(s⁻)ᵀρ(s⁻)) / (2β). Absent/false: one phase at the signed β.
   */
  symmetricNudging?: boolean;
  /**
   * Beyond the paper: fixed random feedback from the target into hidden layers during the
   * weakly-clamped phase only (engine/feedback.ts has the rule). Absent/null: none.
   */
  targetFeedback?: TargetFeedback | null;
  /**
   * Beyond the paper: from the start of epoch `removeSkipsAfter` + 1 on, every layer-skipping
   * connection (and, with removeIntralayer, every intralayer one) is zeroed and masked out.
   * Absent/null: never.
   */
  removeSkipsAfter?: number | null;
  removeIntralayer?: boolean;
  /**
   * Beyond the paper: re-initialise intralayer and layer-skipping weights at the run's start.
   * Absent/null: as built.
   */
  extraInit?: ExtraInit | null;
  /**
   * The order an epoch visits the training batches (engine/batch-order.ts). Absent/null: the
   * paper's fixed order; { kind: 'shuffled-once', seed }: the journal version's once-shuffled order.
   */
  batchOrder?: BatchOrder | null;
}

/** Target feedback into hidden layers: B has density `density`, entries U[−scale, scale] (seeded by the run). */
export interface TargetFeedback {
  /** Hidden layers 1 … K−1 that receive it, ascending. */
  layers: number[];
  density: number;
  scale: number;
}

/** How added (intralayer, layer-skipping) connections start: U[−a, a], zeros, or Glorot-uniform per block. */
export type ExtraInit = { kind: 'uniform'; a: number } | { kind: 'zero' } | { kind: 'glorot' };

/** The paper's settings: per-layer rates (section 3.1) or the single rate 0.02 (sections 3.2, 3.3). */
export function paperTrainConfig(perLayer: boolean, seed = 1): TrainConfig {
  return {
    epsilon: PAPER.epsilon,
    beta: PAPER.beta,
    freeSteps: PAPER.freeSteps,
    clampedSteps: PAPER.clampedSteps,
    batchSize: PAPER.batchSize,
    learningRates: perLayer ? [...PAPER.perLayerRates] : [PAPER.singleRate],
    randomBetaSign: true,
    seed,
    rateEvery: 1,
    checkpointEvery: 0,
  };
}

const R_LEARNING = describeRange(R.learningRate);

/** A rate list's first problem: a value out of range, in the words of a range error. */
function learningRateProblem(rates: readonly number[]): string | null {
  for (const r of rates) {
    if (inRange(r, R.learningRate)) continue;
    if (typeof r !== 'number' || !Number.isFinite(r)) return `${JSON.stringify(r)} is not a number`;
    return `${showValue(r)} is too ${r < (R.learningRate.min ?? 0) ? 'small' : 'large'}`;
  }
  return null;
}

const targetFeedbackSchema = z
  .object({
    layers: z
      .array(z.int({ error: 'distinct hidden layers, ascending' }), { error: 'one or more hidden layers' })
      .min(1, { error: 'one or more hidden layers' }),
    density: z
      .number({ error: 'a number in (0, 1]' })
      .gt(0, { error: 'a number in (0, 1]' })
      .max(1, { error: 'a number in (0, 1]' }),
    scale: z
      .number({ error: 'a number in [0, 10]' })
      .min(0, { error: 'a number in [0, 10]' })
      .max(10, { error: 'a number in [0, 10]' }),
  })
  .superRefine((f, ctx) => {
    if (f.layers.some((l, i) => l < 1 || (i > 0 && l <= f.layers[i - 1]!)))
      addProblem(ctx, ['layers'], JSON.stringify(f.layers), 'distinct hidden layers ≥ 1, ascending');
  }, WHEN_FIELDS_VALID);

const EXTRA_INIT_EXPECTED = "{ kind: 'uniform', a } | { kind: 'zero' } | { kind: 'glorot' }";
const extraInitSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('uniform'),
      a: z
        .number({ error: 'a number in [0, 10]' })
        .min(0, { error: 'a number in [0, 10]' })
        .max(10, { error: 'a number in [0, 10]' }),
    }),
    z.object({ kind: z.literal('zero') }),
    z.object({ kind: z.literal('glorot') }),
  ],
  { error: EXTRA_INIT_EXPECTED },
);

const BATCH_ORDER_EXPECTED =
  "null, { kind: 'fixed' } or { kind: 'shuffled-once', seed } with an integer seed in [0, 2^32)";
const batchOrderSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('fixed') }),
    z.object({
      kind: z.literal('shuffled-once'),
      seed: z
        .int({ error: BATCH_ORDER_EXPECTED })
        .min(0, { error: BATCH_ORDER_EXPECTED })
        .max(2 ** 32 - 1, { error: BATCH_ORDER_EXPECTED }),
    }),
  ],
  { error: BATCH_ORDER_EXPECTED },
);

const TRUE_OR_FALSE = 'true or false';

/**
 * A TrainConfig as one zod schema: every field's range (TRAIN_RANGES) and the checks between
 * fields that do not depend on the network. What depends on its depth (one rate or one per
 * adjacent pair, target feedback below the output layer) is checkTrainDepth's. Errors name field
 * paths (`learningRates`, `targetFeedback.layers`; under a run configuration `train.…`).
 */
export const trainConfigSchema = z
  .object({
    epsilon: rangedNumber(R.epsilon),
    beta: rangedNumber(R.beta),
    freeSteps: rangedNumber(R.freeSteps),
    clampedSteps: rangedNumber(R.clampedSteps),
    batchSize: rangedNumber(R.batchSize),
    learningRates: z
      .array(z.number({ error: `rates each ${R_LEARNING}` }), { error: '1 rate or one per adjacent layer pair' })
      .min(1, { error: '1 rate or one per adjacent layer pair' }),
    ratesAs: z.enum(RATES_AS as [RatesAs, ...RatesAs[]], { error: RATES_AS.join(' or ') }).optional(),
    randomBetaSign: z.boolean({ error: TRUE_OR_FALSE }),
    seed: rangedNumber(R.seed),
    rateEvery: rangedNumber(R.rateEvery),
    checkpointEvery: rangedNumber(R.checkpointEvery),
    adaptive: z
      .object(
        {
          every: z.int({ error: 'an integer ≥ 1' }).min(1, { error: 'an integer ≥ 1' }),
          tolerance: z.number({ error: 'a number ≥ 0' }).min(0, { error: 'a number ≥ 0' }),
          window: z.int({ error: 'an integer ≥ 1' }).min(1, { error: 'an integer ≥ 1' }),
          minSteps: z.int({ error: 'an integer ≥ 0' }).min(0, { error: 'an integer ≥ 0' }),
        },
        { error: 'null or { every, tolerance, window, minSteps }' },
      )
      .nullish(),
    symmetricNudging: z.boolean({ error: TRUE_OR_FALSE }).optional(),
    targetFeedback: targetFeedbackSchema.nullish(),
    removeSkipsAfter: rangedNumber(
      R.removeSkipsAfter,
      `null or ${describeRange(R.removeSkipsAfter)} (epochs)`,
    ).nullish(),
    removeIntralayer: z.boolean({ error: TRUE_OR_FALSE }).optional(),
    extraInit: extraInitSchema.nullish(),
    batchOrder: batchOrderSchema.nullish(),
  })
  .superRefine((c, ctx) => {
    const problem = learningRateProblem(c.learningRates);
    if (problem !== null) addProblem(ctx, ['learningRates'], problem, `rates each ${R_LEARNING}`);
    if (c.removeIntralayer && (c.removeSkipsAfter === undefined || c.removeSkipsAfter === null))
      addProblem(
        ctx,
        ['removeIntralayer'],
        text`given without ${ref('removeSkipsAfter')}`,
        text`${ref('removeSkipsAfter')} <epochs> as well`,
      );
  }, WHEN_FIELDS_VALID);

/**
 * The checks of a TrainConfig that depend on the network: `pairs` adjacent layer pairs. Reports
 * through `report` (field paths relative to the TrainConfig), so a run configuration's check
 * names `train.learningRates` and validateTrainConfig throws.
 */
export function checkTrainDepth(
  c: Pick<TrainConfig, 'learningRates' | 'targetFeedback'>,
  pairs: number,
  report: (path: (string | number)[], problem: MessageText, expected: MessageText) => void,
): void {
  if (c.learningRates.length !== 1 && c.learningRates.length !== pairs)
    report(
      ['learningRates'],
      `${c.learningRates.length} rates given for ${pairs} adjacent layer pairs`,
      `1 rate, or ${pairs} rates (one per adjacent layer pair, input pair first)`,
    );
  const feedback = c.targetFeedback;
  if (feedback?.layers.some((l) => l >= pairs))
    report(
      ['targetFeedback', 'layers'],
      JSON.stringify(feedback.layers),
      `distinct hidden layers in 1…${pairs - 1}, ascending`,
    );
}

/** Throws an InputError naming the first bad field; `pairs` = number of adjacent layer pairs (K). */
export function validateTrainConfig(config: TrainConfig, pairs: number): void {
  parseInput(trainConfigSchema, config, 'engine', 'config');
  checkTrainDepth(config, pairs, (path, problem, expected) => {
    throw new InputError('engine', formatPath(path), problem, expected);
  });
}

/** The learning rate of rate class r (adjacent pair r; SPEC §3). */
export function rateOfClass(config: TrainConfig, rateClass: number): number {
  return config.learningRates.length === 1 ? config.learningRates[0] : config.learningRates[rateClass];
}

/** True when per-layer rates reach only the adjacent-layer blocks (the authors' code, SPEC §3). */
function adjacentOnly(config: TrainConfig): boolean {
  return config.ratesAs === 'authors-code' && config.learningRates.length > 1;
}

/** The learning rate of a weight block of the given kind and rate class. */
export function weightRate(config: TrainConfig, kind: 'adjacent' | 'intralayer' | 'skip', rateClass: number): number {
  return kind !== 'adjacent' && adjacentOnly(config) ? 1 : rateOfClass(config, rateClass);
}

/** The learning rate of the biases of non-input layer l (class l − 1: the pair that feeds it). */
export function biasRate(config: TrainConfig, layer: number): number {
  return adjacentOnly(config) ? 1 : rateOfClass(config, layer - 1);
}
