/**
 * One validation of a training run for every entry point: `eqprop train` (flags or --request),
 * `eqprop sweep` and the presets (each planned job), and the HTTP API, which should call
 * validateRunConfig on the RunConfig it is about to hand to a job, so it answers 400 at once for
 * what the CLI would refuse later. Pure: no store, no files; nothing is written before it passes.
 */
import { InputError } from '../../graph/errors.js';
import { validateTrainConfig } from '../../engine/config.js';
import { BACKEND_CHOICES } from '../config.js';
import { buildableSpec, checkBatches, parseDataSizes, parseEpochs, resolveSpec } from './flags.js';
import { parseChoice, parseId } from './parse.js';
import type { RunConfig } from './run-config.js';

/** MNIST's image size and class count: the input and output layers every run must have. */
export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;

/** The network's first and last layers must fit MNIST (the engine would only find out after the run was written). */
export function checkMnistShape(sizes: readonly number[], field = '--sizes'): void {
  if (sizes[0] !== MNIST_PIXELS) {
    throw new InputError('cli', field, `input layer of ${sizes[0]} neurons`, `${MNIST_PIXELS} (one per MNIST pixel) as the first size, e.g. 784,500,10`);
  }
  if (sizes[sizes.length - 1] !== MNIST_CLASSES) {
    throw new InputError('cli', field, `output layer of ${sizes[sizes.length - 1]} neurons`, `${MNIST_CLASSES} (one per MNIST class) as the last size, e.g. 784,500,10`);
  }
}

/**
 * Checks a whole RunConfig: its topology spec (mode, p or n within the free pairs, seed), the
 * MNIST shape, the training hyper-parameters for its depth, the data sizes against the batch,
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
    if (!storedSizes) throw bad('--topology', `the sizes of stored topology ${config.topology.id} were not looked up`, 'the caller to pass them');
    sizes = storedSizes;
  } else {
    throw bad('config.topology', 'neither {kind: "spec", spec} nor {kind: "stored", id}', 'a topology source');
  }
  checkMnistShape(sizes, config.topology.kind === 'stored' ? '--topology' : '--sizes');
  parseEpochs(String(config.epochs));
  const data = parseDataSizes({ train: String(config.data?.train), eval: String(config.data?.eval), test: String(config.data?.test ?? 0) });
  if (!config.train || typeof config.train !== 'object') throw bad('config.train', 'missing', 'the training hyper-parameters');
  validateTrainConfig(config.train, sizes.length - 1);
  checkBatches(data, config.train.batchSize);
  parseChoice('--backend', String(config.backend), BACKEND_CHOICES);
  return config;
}
