/**
 * The training hyper-parameters of one run (SPEC §2–3, §6) and their validation.
 */
import { InputError } from '../graph/errors.js';
import { PAPER } from '../graph/paper.js';
import { validateAdaptive, type AdaptiveFreePhase } from './adaptive.js';

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
}

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
  check(Number.isFinite(c.epsilon) && c.epsilon > 0 && c.epsilon <= 1, 'epsilon', c.epsilon, 'a number in (0, 1]');
  check(Number.isFinite(c.beta) && c.beta > 0, 'beta', c.beta, 'a positive number (its sign is drawn per batch)');
  check(Number.isInteger(c.freeSteps) && c.freeSteps >= 1, 'freeSteps', c.freeSteps, 'an integer ≥ 1');
  check(Number.isInteger(c.clampedSteps) && c.clampedSteps >= 1, 'clampedSteps', c.clampedSteps, 'an integer ≥ 1');
  check(Number.isInteger(c.batchSize) && c.batchSize >= 1, 'batchSize', c.batchSize, 'an integer ≥ 1');
  check(Array.isArray(c.learningRates) && (c.learningRates.length === 1 || c.learningRates.length === pairs), 'learningRates', c.learningRates, `1 rate or ${pairs} (one per adjacent layer pair)`);
  for (const r of c.learningRates) check(Number.isFinite(r) && r >= 0, 'learningRates', c.learningRates, 'non-negative numbers');
  check(c.ratesAs === undefined || RATES_AS.includes(c.ratesAs), 'ratesAs', c.ratesAs, RATES_AS.join(' or '));
  check(typeof c.randomBetaSign === 'boolean', 'randomBetaSign', c.randomBetaSign, 'true or false');
  check(Number.isSafeInteger(c.seed), 'seed', c.seed, 'a safe integer');
  check(Number.isInteger(c.rateEvery) && c.rateEvery >= 0, 'rateEvery', c.rateEvery, 'an integer ≥ 0 (0 = off)');
  check(Number.isInteger(c.checkpointEvery) && c.checkpointEvery >= 0, 'checkpointEvery', c.checkpointEvery, 'an integer ≥ 0 (0 = epoch end only)');
  if (c.adaptive !== undefined && c.adaptive !== null) {
    check(typeof c.adaptive === 'object', 'adaptive', c.adaptive, 'null or { every, tolerance, window, minSteps }');
    validateAdaptive(c.adaptive);
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
