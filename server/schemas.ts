/**
 * Request schemas (zod) for every route that takes input. The bodies that describe domain objects
 * — a topology spec, a training run, a sweep — are built from the domain's own field schemas
 * (graph/spec.ts, src/experiments/plan/run-settings.ts, src/experiments/plan/sweep-settings.ts): the same
 * field names, checks, descriptions and defaults, so the OpenAPI document shows the domain's
 * objects and a domain error names the API's field. On top, the API's guard rails (a browser
 * should not be able to ask the shared machine for a week of CPU by accident) narrow a few
 * ranges; the routes then hand the body to the domain, which checks what ties the fields together.
 */
import { z } from 'zod';
import { topologySpecFields } from '../graph/index.js';
import { TOPOLOGY_MODES } from '../graph/index.js';
import { RUN_STATUSES } from '../src/store/index.js';
import { runSettingsFields, trainingSettingsFields } from '../src/experiments/index.js';
import { sweepSettingsFields } from '../src/experiments/index.js';
import { SWEPT_MODES, type SweptMode } from '../src/experiments/index.js';
import { NAME_RULE, nameProblem } from '../lib/index.js';

/** A stored name: text that prints as itself (lib/text/unsafe-chars.ts), at most 200 characters. */
const nameSchema = z
  .string()
  .max(200)
  .refine((name) => nameProblem(name) === null, { message: NAME_RULE });

/** Layer sizes: the paper's 784-500-500-500-10 fits easily; far beyond it is refused. */
export const sizesSchema = z
  .array(z.int().min(1).max(5000))
  .min(2)
  .max(12)
  .refine((s) => s.reduce((a, b) => a + b, 0) <= 12_000, { message: 'more than 12000 neurons in total' });

/** A domain field's description, for a field the API narrows. */
const described = <T extends z.ZodType>(schema: T, like: z.ZodType): T => schema.describe(like.description ?? '');

/** The topology spec (graph/spec.ts) with the API's limits on sizes, seed and layer indices. */
const specFields = {
  ...topologySpecFields,
  sizes: described(sizesSchema, topologySpecFields.sizes),
  seed: described(
    z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    topologySpecFields.seed,
  ),
  spanMin: described(z.int().min(2).max(11).optional(), topologySpecFields.spanMin),
  spanMax: described(z.int().min(2).max(11).optional(), topologySpecFields.spanMax),
  targetLayer: described(z.int().min(0).max(11).optional(), topologySpecFields.targetLayer),
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
 * The training fields of a run or sweep body: the run settings' fields (src/experiments/plan/run-settings.ts)
 * the API offers, with its guard rails on the counts and the cost of a batch. Left out, each takes
 * the domain's default (the paper's), filled in when the route hands the body to the domain.
 */
const t = trainingSettingsFields;
const trainingFields = {
  epochs: described(z.int().min(1).max(1000), runSettingsFields.epochs),
  dataset: t.dataset,
  train: described(z.int().min(1).max(60_000), t.train),
  eval: described(z.int().min(1).max(10_000), t.eval),
  shuffleBatches: t.shuffleBatches,
  batchSize: described(z.int().min(1).max(1000).optional(), t.batchSize),
  freeSteps: described(z.int().min(1).max(5000).optional(), t.freeSteps),
  clampedSteps: described(z.int().min(1).max(1000).optional(), t.clampedSteps),
  epsilon: described(z.number().gt(0).max(1).optional(), t.epsilon),
  beta: described(z.number().gt(0).max(10).optional(), t.beta),
  rates: t.rates,
  rate: described(z.number().gt(0).max(10).optional(), t.rate),
  ratesAs: t.ratesAs,
  backend: t.backend,
  nudging: t.nudging,
  targetFeedback: t.targetFeedback,
  removeSkipsAfter: t.removeSkipsAfter,
  removeIntralayer: t.removeIntralayer,
  extraInit: t.extraInit,
};

/** POST /api/jobs/train: the run settings (src/experiments/plan/run-settings.ts) the API offers. */
export const trainJobBody = z.strictObject({
  topologyId: described(z.string().min(1).max(200).optional(), runSettingsFields.topologyId),
  topology: topologySpecSchema.optional().describe(runSettingsFields.topology.description ?? ''),
  seed: described(
    z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
    runSettingsFields.seed,
  ),
  ...trainingFields,
});
export type TrainJobBody = z.output<typeof trainJobBody>;

const s = sweepSettingsFields;
/** POST /api/jobs/sweep: the sweep settings (src/experiments/plan/sweep-settings.ts) the API offers, its workers. */
export const sweepJobBody = z.strictObject({
  name: described(nameSchema.optional(), s.name),
  sizes: described(sizesSchema, s.sizes),
  mode: described(z.enum(SWEPT_MODES as [SweptMode, ...SweptMode[]]).optional(), s.mode),
  families: described(z.array(z.string().min(1).max(100)).min(1).max(20).optional(), s.families),
  smallWorld: s.smallWorld,
  p: described(z.array(z.number().min(0).max(1)).min(1).max(500).optional(), s.p),
  n: described(z.array(z.int().min(0)).min(1).max(500).optional(), s.n),
  seeds: described(
    z
      .array(
        z
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(50)
      .default([0]),
    s.seeds,
  ),
  /** Training processes the job may run at once (counted against the server's process budget). */
  workers: z.int().min(1).max(8).optional().describe('Training processes the job runs at once (default 1).'),
  baseline: s.baseline,
  ...trainingFields,
});
export type SweepJobBody = z.output<typeof sweepJobBody>;

export const cypherBody = z.strictObject({
  query: z.string().min(1).max(20_000),
  params: z.record(z.string(), z.unknown()).default({}),
  maxRows: z.int().min(1).max(5000).default(500),
});
