/**
 * The training hyper-parameters of one run (SPEC §2–3, §6) and their validation.
 */
import { InputError } from '../graph/errors.js';
import { PAPER } from '../graph/paper.js';
import { validateAdaptive, type AdaptiveFreePhase } from './adaptive.js';
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

function check(ok: boolean, field: string, value: unknown, expected: string): void {
  if (!ok) throw new InputError('engine', field, `got ${JSON.stringify(value)}`, expected);
}

/** Throws an InputError naming the first bad field; `pairs` = number of adjacent layer pairs (K). */
export function validateTrainConfig(config: TrainConfig, pairs: number): void {
  const c = config;
  const ranged = (field: keyof typeof R, name: string, value: unknown) =>
    check(inRange(value, R[field]), name, value, describeRange(R[field]));
  ranged('epsilon', 'epsilon', c.epsilon);
  ranged('beta', 'beta', c.beta);
  ranged('freeSteps', 'freeSteps', c.freeSteps);
  ranged('clampedSteps', 'clampedSteps', c.clampedSteps);
  ranged('batchSize', 'batchSize', c.batchSize);
  check(
    Array.isArray(c.learningRates) && (c.learningRates.length === 1 || c.learningRates.length === pairs),
    'learningRates',
    c.learningRates,
    `1 rate or ${pairs} (one per adjacent layer pair)`,
  );
  for (const r of c.learningRates) {
    check(inRange(r, R.learningRate), 'learningRates', c.learningRates, `rates each ${describeRange(R.learningRate)}`);
  }
  check(c.ratesAs === undefined || RATES_AS.includes(c.ratesAs), 'ratesAs', c.ratesAs, RATES_AS.join(' or '));
  check(typeof c.randomBetaSign === 'boolean', 'randomBetaSign', c.randomBetaSign, 'true or false');
  ranged('seed', 'seed', c.seed);
  ranged('rateEvery', 'rateEvery', c.rateEvery);
  ranged('checkpointEvery', 'checkpointEvery', c.checkpointEvery);
  check(
    c.symmetricNudging === undefined || typeof c.symmetricNudging === 'boolean',
    'symmetricNudging',
    c.symmetricNudging,
    'true or false',
  );
  if (c.targetFeedback !== undefined && c.targetFeedback !== null) validateFeedback(c.targetFeedback, pairs);
  const removal = c.removeSkipsAfter;
  check(
    removal === undefined || removal === null || inRange(removal, R.removeSkipsAfter),
    'removeSkipsAfter',
    c.removeSkipsAfter,
    `null or ${describeRange(R.removeSkipsAfter)} (epochs)`,
  );
  check(
    c.removeIntralayer === undefined || typeof c.removeIntralayer === 'boolean',
    'removeIntralayer',
    c.removeIntralayer,
    'true or false',
  );
  check(
    !c.removeIntralayer || (c.removeSkipsAfter !== undefined && c.removeSkipsAfter !== null),
    'removeIntralayer',
    c.removeIntralayer,
    'only together with removeSkipsAfter',
  );
  if (c.extraInit !== undefined && c.extraInit !== null) validateExtraInit(c.extraInit);
  if (c.batchOrder !== undefined && c.batchOrder !== null) validateBatchOrder(c.batchOrder);
  if (c.adaptive !== undefined && c.adaptive !== null) {
    check(typeof c.adaptive === 'object', 'adaptive', c.adaptive, 'null or { every, tolerance, window, minSteps }');
    validateAdaptive(c.adaptive);
  }
}

function validateFeedback(f: TargetFeedback, pairs: number): void {
  check(
    typeof f === 'object' && Array.isArray(f.layers) && f.layers.length >= 1,
    'targetFeedback.layers',
    f?.layers,
    `one or more hidden layers in 1…${pairs - 1}`,
  );
  for (const [i, l] of f.layers.entries()) {
    check(
      Number.isInteger(l) && l >= 1 && l < pairs && (i === 0 || l > f.layers[i - 1]),
      'targetFeedback.layers',
      f.layers,
      `distinct hidden layers in 1…${pairs - 1}, ascending`,
    );
  }
  check(
    Number.isFinite(f.density) && f.density > 0 && f.density <= 1,
    'targetFeedback.density',
    f.density,
    'a number in (0, 1]',
  );
  check(
    Number.isFinite(f.scale) && f.scale >= 0 && f.scale <= 10,
    'targetFeedback.scale',
    f.scale,
    'a number in [0, 10]',
  );
}

function validateExtraInit(e: ExtraInit): void {
  check(
    typeof e === 'object' && ['uniform', 'zero', 'glorot'].includes(e.kind),
    'extraInit',
    e,
    "{ kind: 'uniform', a } | { kind: 'zero' } | { kind: 'glorot' }",
  );
  if (e.kind === 'uniform')
    check(Number.isFinite(e.a) && e.a >= 0 && e.a <= 10, 'extraInit.a', e.a, 'a number in [0, 10]');
}

function validateBatchOrder(o: BatchOrder): void {
  const expected = "null, { kind: 'fixed' } or { kind: 'shuffled-once', seed } with an integer seed in [0, 2^32)";
  check(typeof o === 'object' && (o.kind === 'fixed' || o.kind === 'shuffled-once'), 'batchOrder', o, expected);
  if (o.kind === 'shuffled-once') {
    check(Number.isInteger(o.seed) && o.seed >= 0 && o.seed < 2 ** 32, 'batchOrder.seed', o.seed, expected);
  }
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
