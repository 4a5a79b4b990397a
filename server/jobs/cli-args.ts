/**
 * Validated API bodies → the flag objects `eqprop train` / `eqprop sweep` parse (commander's
 * values: camelCase keys, strings, true for switches) → the child's arguments. The route checks
 * the flag object with the CLI's own validation and the child receives the same object as
 * arguments, so the API cannot accept what the CLI would refuse. The one place that knows the
 * CLI's flag names and which API field each comes from.
 */
import type { TrainRequestFlags } from '../../src/experiments/validate-run.js';
import type { SweepDefinitionFlags } from '../../src/experiments/sweep-flags.js';
import type { TrainingFlags } from '../../src/experiments/flags.js';
import type { SweepJobBody, TrainJobBody } from '../schemas.js';

type TrainingBody = Pick<
  TrainJobBody,
  | 'epochs'
  | 'dataset'
  | 'shuffleBatches'
  | 'train'
  | 'eval'
  | 'batchSize'
  | 'freeSteps'
  | 'clampedSteps'
  | 'epsilon'
  | 'beta'
  | 'rates'
  | 'rate'
  | 'ratesAs'
  | 'backend'
  | 'nudging'
  | 'targetFeedback'
  | 'removeSkipsAfter'
  | 'removeIntralayer'
  | 'extraInit'
>;

/** A number as the command line carries it (String round-trips every double exactly). */
const text = (value: number | string | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

function trainingFlags(b: TrainingBody): TrainingFlags {
  return {
    epochs: text(b.epochs),
    dataset: b.dataset,
    shuffleBatches: text(b.shuffleBatches),
    train: text(b.train),
    eval: text(b.eval),
    batchSize: text(b.batchSize),
    freeSteps: text(b.freeSteps),
    clampedSteps: text(b.clampedSteps),
    epsilon: text(b.epsilon),
    beta: text(b.beta),
    lr: text(b.rate),
    perLayer: b.rates === 'per-layer' ? true : undefined,
    ratesAs: b.ratesAs,
    backend: b.backend,
    // Beyond the paper: the specs are already in the CLI's syntax; a switch is sent only when on.
    nudging: b.nudging,
    targetFeedback: b.targetFeedback,
    removeSkipsAfter: text(b.removeSkipsAfter),
    removeIntralayer: b.removeIntralayer ? true : undefined,
    extraInit: b.extraInit,
  };
}

/** The API fields of the training flags, for errors raised by the shared validation. */
const TRAINING_FIELD_OF_FLAG: Record<string, string> = {
  '--epochs': 'epochs',
  '--dataset': 'dataset',
  '--shuffle-batches': 'shuffleBatches',
  '--train': 'train',
  '--eval': 'eval',
  '--batch-size': 'batchSize',
  '--free-steps': 'freeSteps',
  '--clamped-steps': 'clampedSteps',
  '--epsilon': 'epsilon',
  '--beta': 'beta',
  '--lr': 'rate',
  '--per-layer': 'rates',
  '--rates-as': 'ratesAs',
  '--backend': 'backend',
  '--nudging': 'nudging',
  '--target-feedback': 'targetFeedback',
  '--remove-skips-after': 'removeSkipsAfter',
  '--remove-intralayer': 'removeIntralayer',
  '--extra-init': 'extraInit',
};

export function trainFlags(b: TrainJobBody): TrainRequestFlags {
  const t = b.topology;
  return {
    topology: b.topologyId,
    sizes: t?.sizes.join(','),
    mode: t?.mode,
    n: text(t?.n),
    p: text(t?.p),
    topologySeed: text(t?.seed),
    spanMin: text(t?.spanMin),
    spanMax: text(t?.spanMax),
    skipTarget: text(t?.targetLayer),
    skipBound: text(t?.skipBound),
    seed: text(b.seed),
    ...trainingFlags(b),
  };
}

export const TRAIN_FIELD_OF_FLAG: Record<string, string> = {
  '--topology': 'topologyId',
  '--sizes': 'topology.sizes',
  '--mode': 'topology.mode',
  '--n': 'topology.n',
  '--p': 'topology.p',
  '--topology-seed': 'topology.seed',
  '--seed': 'seed',
  '--span-min': 'topology.spanMin',
  '--span-max': 'topology.spanMax',
  '--skip-target': 'topology.targetLayer',
  '--skip-bound': 'topology.skipBound',
  ...TRAINING_FIELD_OF_FLAG,
};

/** A sweep body's flags; `workers` is the number of training processes the job may run. */
export function sweepFlags(b: SweepJobBody): SweepDefinitionFlags & { workers?: string } {
  return {
    sizes: b.sizes.join(','),
    mode: b.mode,
    p: b.p?.join(','),
    n: b.n?.join(','),
    seeds: b.seeds.join(','),
    families: b.families?.join(','),
    smallWorld: text(b.smallWorld),
    workers: text(b.workers),
    name: b.name,
    baseline: b.baseline ? true : undefined,
    ...trainingFlags(b),
  };
}

export const SWEEP_FIELD_OF_FLAG: Record<string, string> = {
  '--sizes': 'sizes',
  '--mode': 'mode',
  '--n': 'n',
  '--p': 'p',
  '--seeds': 'seeds',
  '--families': 'families',
  '--small-world': 'smallWorld',
  // A sweep seeds each topology with the run's seed, so a bad topology seed is a bad entry of seeds.
  '--topology-seed': 'seeds',
  '--workers': 'workers',
  '--name': 'name',
  '--baseline': 'baseline',
  ...TRAINING_FIELD_OF_FLAG,
};

/** commander's option name for a flag object key: `batchSize` → `--batch-size`. */
const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A flag object as arguments: unset flags left out, switches without a value. */
export function argsOfFlags(flags: object): string[] {
  return Object.entries(flags).flatMap(([key, value]: [string, unknown]) => {
    if (value === undefined || value === false) return [];
    if (value === true) return [flagOf(key)];
    if (typeof value !== 'string') throw new TypeError(`flag ${flagOf(key)} holds a ${typeof value}, not a string`);
    return [flagOf(key), value];
  });
}

export function trainArgs(b: TrainJobBody): string[] {
  return argsOfFlags(trainFlags(b));
}

export function sweepArgs(b: SweepJobBody): string[] {
  return argsOfFlags(sweepFlags(b));
}
