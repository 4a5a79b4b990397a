/**
 * Request schemas (zod) for every route that takes input. Ranges here are the API's guard rails
 * (a browser should not be able to ask the shared machine for a week of CPU by accident); the
 * layers below still validate their own inputs (graph/spec.ts for topologies, the CLI for runs).
 */
import { z } from 'zod';
import { TOPOLOGY_MODES } from '../graph/types.js';
import { RUN_STATUSES } from '../src/store/contract.js';
import { BACKEND_CHOICES } from '../src/config.js';
import { NUDGINGS } from '../src/experiments/flags.js';
import { NAME_RULE, nameProblem } from '../src/text/unsafe-chars.js';

/** A stored name: text that prints as itself (src/text/unsafe-chars.ts), at most 200 characters. */
const nameSchema = z
  .string()
  .max(200)
  .refine((name) => nameProblem(name) === null, { message: NAME_RULE });
import { DATASET_NAMES } from '../engine/datasets/names.js';

/** Layer sizes: the paper's 784-500-500-500-10 fits easily; far beyond it is refused. */
export const sizesSchema = z
  .array(z.int().min(1).max(5000))
  .min(2)
  .max(12)
  .refine((s) => s.reduce((a, b) => a + b, 0) <= 12_000, { message: 'more than 12000 neurons in total' });

const specFields = {
  sizes: sizesSchema,
  mode: z.enum(TOPOLOGY_MODES as [string, ...string[]]),
  n: z.number().min(0).optional(),
  p: z.number().min(0).max(1).optional(),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
  /** Skip restriction (graph/skip-rule.ts): new connections only between layers ≥ spanMin / ≤ spanMax apart. */
  spanMin: z.int().min(2).max(11).optional(),
  spanMax: z.int().min(2).max(11).optional(),
  /** New connections must end in this layer (an index; the output is sizes.length − 1). */
  targetLayer: z.int().min(0).max(11).optional(),
  /** no-intralayer: U[−a, a] of the layer-skipping weights (default: the mean per-layer Glorot bound). */
  skipBound: z.number().gt(0).max(10).optional(),
};

export const topologySpecSchema = z.strictObject(specFields);

export const buildTopologyBody = z.strictObject({
  ...specFields,
  name: nameSchema.nullable().optional(),
  /** Compute graph metrics (L, C, degrees, paths to the output, …) before saving; seconds for the paper network. */
  metrics: z.boolean().default(true),
  /** Random/lattice reference graphs for σ and ω (0 = skip them: they dominate the cost). */
  smallWorldSamples: z.int().min(0).max(20).default(0),
});
export type BuildTopologyBody = z.output<typeof buildTopologyBody>;

/**
 * Query-string numbers are decimal text only: z.coerce.number would read '0x10' as 16, '' and
 * ' ' as 0 and '1e999' as Infinity, so an empty `pMin=` would silently become a filter.
 */
const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const number = z
  .string()
  .regex(DECIMAL, 'not a decimal number')
  .transform(Number)
  .refine(Number.isFinite, { message: 'not a finite number' });
/** A non-negative integer in decimal digits (no sign, hex, exponent or blank). */
export const queryInt = z
  .string()
  .regex(/^\d{1,15}$/, 'not a non-negative integer in decimal digits')
  .transform(Number);

/** Names that are properties of every object: as metric names they would reach the prototype. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** `where=L:1.5:2.1,C::0.4` — metric ranges, min or max may be empty. */
const whereEntry = /^([A-Za-z_][A-Za-z0-9_.-]*):(-?[0-9.eE+-]*):(-?[0-9.eE+-]*)$/;
const validWhereEntry = (entry: string): boolean => {
  const match = whereEntry.exec(entry.trim());
  if (match === null || PROTOTYPE_NAMES.has(match[1]!)) return false;
  return [match[2]!, match[3]!].every((v) => v === '' || DECIMAL.test(v));
};
export const topologyListQuery = z.strictObject({
  mode: z.enum(TOPOLOGY_MODES as [string, ...string[]]).optional(),
  sizes: z
    .string()
    .regex(/^\d+(,\d+)+$/, 'not a comma-separated list of layer sizes')
    .optional(),
  seed: queryInt.optional(),
  pMin: number.optional(),
  pMax: number.optional(),
  nMin: number.optional(),
  nMax: number.optional(),
  where: z
    .string()
    .max(1000)
    .refine((w) => w.split(',').every(validWhereEntry), {
      message: 'not a list of metric:min:max ranges (e.g. L:1.5:2.1,C::0.4)',
    })
    .optional(),
  limit: queryInt.pipe(z.int().min(1).max(1000)).default(200),
});
export type TopologyListQuery = z.output<typeof topologyListQuery>;

/** A run's trained weights (server/run-weights.ts): only |w| ≥ minAbs, at most limit skip connections. */
export const weightsQuery = z.strictObject({
  minAbs: number.pipe(z.number().min(0)).default(0),
  limit: queryInt.pipe(z.int().min(1).max(100_000)).default(20_000),
});

export const neuronParams = z.strictObject({ id: z.string().min(1).max(200), neuron: queryInt.pipe(z.int().min(0)) });

export const runListQuery = z.strictObject({
  topologyId: z.string().min(1).max(200).optional(),
  sweepId: z.string().min(1).max(200).optional(),
  status: z.enum(RUN_STATUSES as [string, ...string[]]).optional(),
  limit: queryInt.pipe(z.int().min(1).max(1000)).default(200),
});

export const ratesQuery = z
  .strictObject({
    /** The series is averaged into at most this many points per layer pair (paper runs have 625,000 batches). */
    maxPoints: queryInt.pipe(z.int().min(10).max(20_000)).default(2000),
    /** Only batches in [from, to) (global batch index), e.g. one epoch for Fig. 5's rate at its end. */
    from: queryInt.optional(),
    to: queryInt.pipe(z.int().min(1)).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from is not below to',
    path: ['from'],
  });

export const correlationQuery = z.strictObject({
  sweepId: z.string().min(1).max(200).optional(),
  epoch: queryInt.pipe(z.int().min(1).max(100_000)).optional(),
});

/** GET /api/predictors: a sweep (or study), or run ids; the same options as `eqprop predictors`. */
export const predictorQuery = z
  .strictObject({
    sweep: z.string().min(1).max(200).optional(),
    runs: z
      .string()
      .max(20_000)
      .refine((r) => r.split(',').every((id) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id)), {
        message: 'not a comma-separated list of run ids',
      })
      .optional(),
    outcome: z.string().max(200).optional(),
    pool: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    earlyBatches: queryInt.pipe(z.int().min(1).max(1_000_000)).default(50),
    resamples: queryInt.pipe(z.int().min(100).max(10_000)).default(1000),
  })
  .refine((q) => (q.sweep === undefined) !== (q.runs === undefined), {
    message: 'give exactly one of sweep and runs',
    path: ['sweep'],
  });

/**
 * The training options beyond the paper (README "Beyond the paper"), as `eqprop train` takes them;
 * left out, each is the paper's behaviour. The two specs are strings in the CLI's syntax so the API,
 * the CLI and the web forms share one parser (src/experiments/flags.ts) and one set of messages.
 */
const beyondPaperFields = {
  nudging: z
    .enum(NUDGINGS)
    .optional()
    .describe(
      "'random-sign' (the paper: β's sign drawn per batch), 'positive' (β always > 0) or 'symmetric' " +
        '(two clamped phases at +β and −β, Laborieux et al. 2021)',
    ),
  targetFeedback: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'hidden layers that feel the target in the clamped phase through a fixed random matrix: ' +
        "'<layers>:<density>[:<scale>]', e.g. '1,2:0.1' or '1:0.5:0.02' (scale default 0.05)",
    ),
  removeSkipsAfter: z
    .int()
    .min(0)
    .max(100_000)
    .optional()
    .describe('zero and mask out every layer-skipping connection after this many epochs (add, train, remove)'),
  removeIntralayer: z.boolean().optional().describe('with removeSkipsAfter: remove the intralayer connections too'),
  extraInit: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "initialise intralayer and layer-skipping weights at the start: 'uniform:<a>' (U[−a, a]), 'zero' or 'glorot'",
    ),
};

const trainingFields = {
  epochs: z.int().min(1).max(1000),
  /** What to train on (docs/journal.md); absent = the paper's MNIST split. The sizes must fit it. */
  dataset: z
    .enum(DATASET_NAMES)
    .optional()
    .describe(
      "'mnist' (the paper's 50,000 / 10,000 split), 'mnist-official' or 'fashion-mnist' (60,000 / 10,000), " +
        "'diabetes' (regression: 400 / 40, error = mean squared error) or 'wine' (150 / 25)",
    ),
  /**
   * Training examples (the first ones of the dataset's training split) and evaluation examples;
   * the dataset's own sizes bound them (checked by the CLI's validation, a 400 naming the field).
   */
  train: z.int().min(1).max(60_000),
  eval: z.int().min(1).max(10_000),
  /** Seed of a once-shuffled batch order (the journal version's MNIST runs); absent = the paper's fixed order. */
  shuffleBatches: z
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  batchSize: z.int().min(1).max(1000).optional(),
  freeSteps: z.int().min(1).max(5000).optional(),
  clampedSteps: z.int().min(1).max(1000).optional(),
  epsilon: z.number().gt(0).max(1).optional(),
  beta: z.number().gt(0).max(10).optional(),
  /** 'single' = one rate for everything (paper §3.2/3.3), 'per-layer' = [0.128, 0.032, …] (§3.1). */
  rates: z.enum(['single', 'per-layer']).optional(),
  /** The single learning rate (default 0.02); not with rates = 'per-layer'. */
  rate: z.number().gt(0).max(10).optional(),
  /** With per-layer rates: the paper's description or what the authors' code did (SPEC §3). */
  ratesAs: z.enum(['paper', 'authors-code']).optional(),
  backend: z.enum(BACKEND_CHOICES as [string, ...string[]]).optional(),
  ...beyondPaperFields,
};

export const trainJobBody = z
  .strictObject({
    /** A stored topology, or an inline spec built by the run. */
    topologyId: z.string().min(1).max(200).optional(),
    topology: topologySpecSchema.optional(),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    ...trainingFields,
  })
  .refine((b) => (b.topologyId === undefined) !== (b.topology === undefined), {
    message: 'give exactly one of topologyId and topology',
    path: ['topologyId'],
  });
export type TrainJobBody = z.output<typeof trainJobBody>;

export const sweepJobBody = z
  .strictObject({
    name: nameSchema.optional(),
    sizes: sizesSchema,
    mode: z.enum(['replace', 'add', 'per-connection', 'no-intralayer']).optional(),
    /** A study: topology families (graph/family.ts keys) crossed with the values; replaces mode. */
    families: z.array(z.string().min(1).max(100)).min(1).max(20).optional(),
    /** σ/ω reference graphs per topology, measured before training (0 = none). */
    smallWorld: z.int().min(0).max(20).optional(),
    /** Exactly one of p values and n values. */
    p: z.array(z.number().min(0).max(1)).min(1).max(500).optional(),
    n: z.array(z.int().min(0)).min(1).max(500).optional(),
    seeds: z
      .array(
        z
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(50)
      .default([0]),
    workers: z.int().min(1).max(8).optional(),
    /** Also train the layered network per seed (the reference line of Fig. 5). */
    baseline: z.boolean().optional(),
    ...trainingFields,
  })
  .refine((b) => (b.p === undefined) !== (b.n === undefined), { message: 'give exactly one of p and n', path: ['p'] })
  .refine((b) => (b.mode === undefined) !== (b.families === undefined), {
    message: 'give exactly one of mode and families',
    path: ['mode'],
  });
export type SweepJobBody = z.output<typeof sweepJobBody>;

export const cypherBody = z.strictObject({
  query: z.string().min(1).max(20_000),
  params: z.record(z.string(), z.unknown()).default({}),
  maxRows: z.int().min(1).max(5000).default(500),
});
