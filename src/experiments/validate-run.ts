/**
 * One validation of a training run for every entry point: `eqprop train` (flags or --request),
 * `eqprop sweep` and the presets (each planned job), and the HTTP API, which should call
 * validateRunConfig on the RunConfig it is about to hand to a job, so it answers 400 at once for
 * what the CLI would refuse later. Pure: no store, no files; nothing is written before it passes.
 */
import { InputError } from '../../graph/errors.js';
import { validateTrainConfig } from '../../engine/config.js';
import { BACKEND_CHOICES, type BackendChoice } from '../config.js';
import { DATASETS, type DatasetName } from '../../engine/datasets/registry.js';
import {
  buildableSpec,
  checkBatches,
  dataFlags,
  datasetOf,
  parseDataSizes,
  parseEpochs,
  parseSeed,
  parseTopologySpec,
  resolveSpec,
  runConfigFromFlags,
  type TopologyFlags,
  type TrainingFlags,
} from './flags.js';
import { parseChoice, parseId } from './parse.js';
import type { RunConfig, RunRequest } from './run-config.js';

/** MNIST's image size and class count: the input and output layers every MNIST run must have. */
export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;

/**
 * The network's first and last layers must fit the dataset (the engine would only find out after
 * the run was written): 784 and 10 for MNIST and Fashion-MNIST, 10 and 1 for Diabetes, 13 and 3 for Wine.
 */
export function checkDatasetShape(sizes: readonly number[], dataset: DatasetName = 'mnist', field = '--sizes'): void {
  const { inputs, outputs, errorKind } = DATASETS[dataset];
  // The paper's MNIST keeps its messages; another dataset is named in them.
  const named = dataset === 'mnist' ? 'MNIST' : dataset;
  const forDataset = dataset === 'mnist' ? '' : ` for --dataset ${dataset}`;
  const example = `${inputs},${dataset === 'mnist' ? 500 : 10},${outputs}`;
  if (sizes[0] !== inputs) {
    throw new InputError(
      'cli',
      field,
      `input layer of ${sizes[0]} neurons${forDataset}`,
      `${inputs} (one per ${named} ${inputs === 784 ? 'pixel' : 'feature'}) as the first size, e.g. ${example}`,
    );
  }
  if (sizes[sizes.length - 1] !== outputs) {
    const per = errorKind === 'mse' ? 'one output for its real-valued target' : `one per ${named} class`;
    throw new InputError(
      'cli',
      field,
      `output layer of ${sizes[sizes.length - 1]} neurons${forDataset}`,
      `${outputs} (${per}) as the last size, e.g. ${example}`,
    );
  }
}

/** The paper's MNIST shape (784 inputs, 10 outputs). */
export function checkMnistShape(sizes: readonly number[], field = '--sizes'): void {
  checkDatasetShape(sizes, 'mnist', field);
}

/**
 * Checks a whole RunConfig: its topology spec (mode, p or n within the free pairs, seed), the
 * dataset's shape, the training hyper-parameters for its depth, the data sizes against the batch,
 * the epochs and the backend. `storedSizes` gives a stored topology's layer sizes (the caller
 * reads them); for an inline spec they come from the spec. Returns the config unchanged.
 */
export function validateRunConfig(config: RunConfig, storedSizes?: readonly number[]): RunConfig {
  const bad = (field: string, problem: string, expected: string) => new InputError('cli', field, problem, expected);
  if (!config || typeof config !== 'object') throw bad('config', 'missing', 'a run configuration object');
  if (config.format !== 1) throw bad('config.format', JSON.stringify(config.format), '1');
  let sizes: readonly number[];
  if (config.topology?.kind === 'spec') {
    sizes = resolveSpec(buildableSpec(config.topology.spec)).sizes;
  } else if (config.topology?.kind === 'stored' && typeof config.topology.id === 'string') {
    parseId('--topology', config.topology.id);
    if (!storedSizes)
      throw bad(
        '--topology',
        `the sizes of stored topology ${config.topology.id} were not looked up`,
        'the caller to pass them',
      );
    sizes = storedSizes;
  } else {
    throw bad('config.topology', 'neither {kind: "spec", spec} nor {kind: "stored", id}', 'a topology source');
  }
  const data = parseDataSizes(dataFlags(config.data));
  checkDatasetShape(sizes, datasetOf(data), config.topology.kind === 'stored' ? '--topology' : '--sizes');
  parseEpochs(String(config.epochs));
  if (!config.train || typeof config.train !== 'object')
    throw bad('config.train', 'missing', 'the training hyper-parameters');
  validateTrainConfig(config.train, sizes.length - 1);
  checkBatches(data, config.train.batchSize);
  parseChoice('--backend', String(config.backend), BACKEND_CHOICES);
  return config;
}

/** `eqprop train`'s flags as strings (commander's values; the API can build the same object from a body). */
export interface TrainRequestFlags extends TrainingFlags, TopologyFlags {
  /** A stored topology id (not with the inline flags). */
  topology?: string;
  runId?: string;
  sweep?: string;
}

/**
 * Everything `eqprop train` checks before it creates anything, as one function the API can call
 * with the same values: flags → a validated RunRequest. `storedSizes` reads a stored topology's
 * layer sizes (an unknown id is the caller's error to raise).
 */
export async function trainRequestFromFlags(
  flags: TrainRequestFlags,
  /** The stored topology --topology names (an id or a unique prefix): its full id and layer sizes. */
  storedTopology: (id: string) => Promise<{ id: string; sizes: number[] }>,
  defaults: { backend: BackendChoice },
): Promise<RunRequest> {
  if (flags.topology !== undefined && flags.sizes !== undefined) {
    throw new InputError(
      'cli',
      '--topology',
      'both --topology and --sizes given',
      'either a stored topology (--topology <id>) or inline flags (--sizes …)',
    );
  }
  if (flags.topology === undefined && flags.sizes === undefined) {
    throw new InputError(
      'cli',
      '--sizes',
      'no topology given',
      '--topology <id> of a stored topology, or --sizes like 784,500,500,500,10 (with --mode, --p/--n)',
    );
  }
  if (flags.topology !== undefined) {
    parseId('--topology', flags.topology);
    for (const flag of ['p', 'n', 'topologySeed', 'spanMin', 'spanMax', 'skipTarget', 'skipBound'] as const) {
      const name = `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      if (flags[flag] !== undefined)
        throw new InputError('cli', name, 'given with --topology', 'inline topology flags only with --sizes');
    }
  }
  const seed = parseSeed(flags.seed);
  const spec = flags.sizes !== undefined ? parseTopologySpec(flags, seed) : null;
  if (spec) checkDatasetShape(spec.sizes, datasetOf(parseDataSizes(flags)));
  if (flags.runId !== undefined) parseId('--run-id', flags.runId);
  if (flags.sweep !== undefined) parseId('--sweep', flags.sweep);
  const stored = spec ? null : await storedTopology(flags.topology!);
  const sizes = spec ? spec.sizes : stored!.sizes;
  const config = runConfigFromFlags(
    flags,
    spec ? { kind: 'spec', spec } : { kind: 'stored', id: stored!.id },
    sizes,
    defaults,
  );
  return { config, runId: flags.runId, sweepId: flags.sweep ?? null };
}
