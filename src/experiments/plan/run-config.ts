/**
 * What a training run is: the configuration stored with the run record (RunRecord.config) and
 * everything needed to start or resume it on any machine — by `eqprop train`, a local sweep
 * worker, or a queue worker. JSON-serialisable on purpose.
 *
 * The run configuration is a domain object with one zod schema (runConfigSchemaFor): the topology
 * (graph/spec.ts's schema), the data (counts within the dataset's splits), the training
 * hyper-parameters (engine/config.ts's schema) and what ties them together (the network fits the
 * dataset, one rate or one per layer pair, every split fills a batch). Errors name field paths
 * of the configuration (`data.train`, `train.learningRates`, `topology.spec.sizes`); the CLI
 * shows them as its flags, the API as its fields (src/experiments/plan/run-settings.ts).
 */
import { z } from 'zod';
import { InputError, ref, text, type MessageText } from '../../../lib/index.js';
import type { ResolvedSpec } from '../../../graph/index.js';
import { resolvedSpecSchema } from '../../../graph/index.js';
import { addProblem, parseInput, rangedNumber, WHEN_FIELDS_VALID } from '../../../graph/index.js';
import { checkTrainDepth, trainConfigSchema, type TrainConfig } from '../../../engine/index.js';
import { DATASET_NAMES, DATASETS, type DatasetName } from '../../../engine/index.js';
import { BACKEND_CHOICES, type BackendChoice } from '../../config.js';
import { ID_EXPECTED, ID_PATTERN } from './ids.js';

const MODULE = 'experiments';

/**
 * Which data a run trains on and how many examples each split uses. `dataset` absent = the paper's
 * MNIST (SPEC §6 split: 50,000 / 10,000 of the training file; test = how many official test images
 * are also evaluated, 0 = none) — left out so runs stored before it existed keep their configuration.
 * The journal version's sets (engine/datasets/registry.ts) have a train and a test split: `eval`
 * counts test examples, evaluated every epoch, and `test` is 0.
 */
export interface DataSizes {
  dataset?: DatasetName;
  train: number;
  eval: number;
  test: number;
}

/** Where the run's topology comes from: a stored topology, or a spec built (and stored) on first use. */
export type TopologySource = { kind: 'stored'; id: string } | { kind: 'spec'; spec: ResolvedSpec };

export interface RunConfig {
  /** Format version of this object, for readers of old stores. */
  format: 1;
  topology: TopologySource;
  epochs: number;
  data: DataSizes;
  train: TrainConfig;
  /** Backend requested; the one that actually ran is RunRecord.backend. */
  backend: BackendChoice;
}

/** A run to start: its configuration plus where it is filed. */
export interface RunRequest {
  config: RunConfig;
  /** Deterministic id (sweeps) or undefined for a fresh UUID. */
  runId?: string;
  sweepId?: string | null;
}

/** An id (run, sweep, stored topology): safe in file names and URLs. */
export const idSchema = z.string({ error: ID_EXPECTED }).regex(ID_PATTERN, { error: ID_EXPECTED });

/** Most epochs one run may train. */
export const MAX_EPOCHS = 100_000;
export const epochsSchema = rangedNumber({ integer: true, min: 1, max: MAX_EPOCHS });

export const datasetSchema = z.enum(DATASET_NAMES, { error: `one of ${DATASET_NAMES.join(', ')}` });
export const backendSchema = z.enum(BACKEND_CHOICES as [BackendChoice, ...BackendChoice[]], {
  error: `one of ${BACKEND_CHOICES.join(', ')}`,
});

/** A problem reporter: a field path relative to the object being checked, and the texts. */
export type Report = (path: (string | number)[], problem: MessageText, expected: MessageText) => void;

/** The dataset a DataSizes names (absent = the paper's MNIST). */
export function datasetOf(data: Pick<DataSizes, 'dataset'> | undefined): DatasetName {
  return data?.dataset ?? 'mnist';
}

/**
 * The counts of a DataSizes against its dataset's splits: at most what each split has, and no
 * test count for a dataset whose test split is what `eval` evaluates. `at` says where the counts
 * and the dataset are in the object being checked.
 */
export function checkDataCounts(
  data: { dataset?: DatasetName; train: number; eval: number; test?: number },
  report: Report,
  at: { train: string[]; eval: string[]; test: string[]; dataset: string } = {
    train: ['train'],
    eval: ['eval'],
    test: ['test'],
    dataset: 'dataset',
  },
): void {
  const dataset = datasetOf(data);
  const info = DATASETS[dataset];
  if (data.train > info.trainMax)
    report(at.train, `${data.train} is too large`, `an integer ≥ 1 and ≤ ${info.trainMax}`);
  else if (data.eval > info.evalMax)
    report(at.eval, `${data.eval} is too large`, `an integer ≥ 1 and ≤ ${info.evalMax}`);
  else if (info.testMax === 0 && (data.test ?? 0) !== 0)
    report(
      at.test,
      text`${data.test} (${dataset} has no test set besides ${ref(at.eval.join('.'))}, which is its test split)`,
      '0 or leave it out',
    );
  else if ((data.test ?? 0) > info.testMax)
    report(at.test, `${data.test} is too large`, `an integer ≥ 0 and ≤ ${info.testMax}`);
}

/** Which data a run trains on: the counts' own ranges, then against the dataset. */
export const dataSizesSchema = z
  .object({
    dataset: datasetSchema.optional(),
    train: rangedNumber({ integer: true, min: 1 }),
    eval: rangedNumber({ integer: true, min: 1 }),
    test: rangedNumber({ integer: true, min: 0 }).optional(),
  })
  .superRefine((data, ctx) => checkDataCounts(data, (path, p, x) => addProblem(ctx, path, p, x)), WHEN_FIELDS_VALID);

/** Every split must fill at least one whole batch (the engine drops a ragged last batch). */
export function checkBatches(
  data: { train: number; eval: number; test?: number },
  batchSize: number,
  report: Report,
  at: { train: string[]; eval: string[]; test: string[]; batchSize: string } = {
    train: ['data', 'train'],
    eval: ['data', 'eval'],
    test: ['data', 'test'],
    batchSize: 'train.batchSize',
  },
): void {
  for (const split of ['train', 'eval', 'test'] as const) {
    const count = data[split] ?? 0;
    if (count > 0 && count < batchSize) {
      report(
        at[split],
        `${count} examples is less than one batch of ${batchSize}`,
        text`at least ${ref(at.batchSize)} (${batchSize}) examples, or a smaller ${ref(at.batchSize)}`,
      );
      return;
    }
  }
}

/**
 * The network's first and last layers must fit the dataset (the engine would only find out after
 * the run was written): 784 and 10 for MNIST and Fashion-MNIST, 10 and 1 for Diabetes, 13 and 3 for
 * Wine. `datasetField` is where the dataset is named in the object being checked.
 */
export function reportDatasetShape(
  sizes: readonly number[],
  dataset: DatasetName,
  report: Report,
  at: { sizes: (string | number)[]; dataset: string },
): void {
  const { inputs, outputs, errorKind } = DATASETS[dataset];
  // The paper's MNIST keeps its messages; another dataset is named in them.
  const named = dataset === 'mnist' ? 'MNIST' : dataset;
  const forDataset = dataset === 'mnist' ? [] : [' for ', ref(at.dataset), ` ${dataset}`];
  const example = `${inputs},${dataset === 'mnist' ? 500 : 10},${outputs}`;
  if (sizes[0] !== inputs) {
    report(
      at.sizes,
      [`input layer of ${sizes[0]} neurons`, ...forDataset],
      `${inputs} (one per ${named} ${inputs === 784 ? 'pixel' : 'feature'}) as the first size, e.g. ${example}`,
    );
    return;
  }
  if (sizes[sizes.length - 1] !== outputs) {
    const per = errorKind === 'mse' ? 'one output for its real-valued target' : `one per ${named} class`;
    report(
      at.sizes,
      [`output layer of ${sizes[sizes.length - 1]} neurons`, ...forDataset],
      `${outputs} (${per}) as the last size, e.g. ${example}`,
    );
  }
}

/** reportDatasetShape throwing an InputError naming `sizes` (and `dataset`). */
export function checkDatasetShape(sizes: readonly number[], dataset: DatasetName = 'mnist'): void {
  reportDatasetShape(
    sizes,
    dataset,
    (path, problem, expected) => {
      throw new InputError(MODULE, path.join('.'), problem, expected);
    },
    { sizes: ['sizes'], dataset: 'dataset' },
  );
}

/** The topology of a run: a resolved spec to build (and store), or a stored topology by id. */
export const topologySourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('spec'), spec: resolvedSpecSchema }),
    z.object({ kind: z.literal('stored'), id: idSchema }),
  ],
  { error: 'a topology source: {kind: "spec", spec} or {kind: "stored", id}' },
);

/**
 * The run configuration's schema. A stored topology's layer sizes are not in the configuration:
 * `storedSizes` gives them (the caller read the store), or 'later' when they will be checked
 * when the run starts (a request read before any store is open).
 */
export function runConfigSchemaFor(storedSizes?: readonly number[] | 'later') {
  return z
    .object({
      format: z.literal(1, { error: '1 (the format of this object)' }),
      topology: topologySourceSchema,
      epochs: epochsSchema,
      data: dataSizesSchema,
      train: trainConfigSchema,
      backend: backendSchema,
    })
    .superRefine((c, ctx) => {
      const report: Report = (path, problem, expected) => addProblem(ctx, path, problem, expected);
      const stored = c.topology.kind === 'stored';
      let sizes: readonly number[];
      if (c.topology.kind === 'spec') sizes = c.topology.spec.sizes;
      else if (storedSizes === 'later') sizes = [];
      else if (storedSizes) sizes = storedSizes;
      else {
        report(
          ['topology', 'id'],
          `the sizes of stored topology ${c.topology.id} were not looked up`,
          'the caller to pass them',
        );
        return;
      }
      if (sizes.length > 0) {
        reportDatasetShape(sizes, datasetOf(c.data), report, {
          sizes: stored ? ['topology', 'id'] : ['topology', 'spec', 'sizes'],
          dataset: 'data.dataset',
        });
        checkTrainDepth(c.train as TrainConfig, sizes.length - 1, (path, p, x) => report(['train', ...path], p, x));
      }
      checkBatches(c.data, c.train.batchSize, report);
    }, WHEN_FIELDS_VALID);
}

/**
 * Checks a whole RunConfig: its topology spec (mode, p or n within the free pairs, seed), the
 * dataset's shape, the training hyper-parameters for its depth, the data sizes against the batch,
 * the epochs and the backend. `storedSizes` gives a stored topology's layer sizes (the caller
 * reads them); for an inline spec they come from the spec. Returns the config unchanged.
 */
export function validateRunConfig(config: RunConfig, storedSizes?: readonly number[]): RunConfig {
  parseInput(runConfigSchemaFor(storedSizes), config, MODULE, 'config');
  return config;
}

/** A run request: the configuration and where the run is filed. */
const runRequestSchema = z.object({
  runId: idSchema.optional(),
  sweepId: idSchema.nullish(),
  config: runConfigSchemaFor('later'),
});

/**
 * A run request as JSON carries it (`eqprop train --request`, a queue job): checked like any
 * run configuration, except a stored topology's shape, checked when the run starts (the store is
 * not open yet). Errors name paths of the request (`config.train.learningRates`).
 */
export function parseRunRequest(value: unknown): RunRequest {
  parseInput(runRequestSchema, value, MODULE, 'request');
  return value as RunRequest;
}

/** Reads a RunConfig back from a RunRecord.config (written by this module's callers). */
export function runConfigOf(stored: Record<string, unknown>, runId: string): RunConfig {
  const c = stored as unknown as RunConfig;
  if (c.format !== 1 || !c.topology || !c.train || !c.data || typeof c.epochs !== 'number') {
    throw new Error(
      `eqprop/experiments: run ${runId} has no eqprop-lab run configuration (format 1); it was not created by ` +
        `eqprop train or a sweep`,
    );
  }
  return c;
}
