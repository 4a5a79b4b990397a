/**
 * The data a training run is bound to: checked against the topology when a run starts, and
 * fingerprinted into every checkpoint so a resume on different data is refused rather than
 * silently continuing on examples the particles were never computed for.
 */
import type { CompiledTopology } from '../graph/index.js';
import { InputError } from '../lib/index.js';
import type { TrainConfig } from './config.js';
import type { Dataset } from './mnist.js';

export interface TrainingData {
  train: Dataset;
  eval: Dataset;
}

export interface DataFingerprint {
  count: number;
  dims: number;
  /**
   * FNV-1a of the labels (regression sets: of the labels, then of the targets' float32 bytes):
   * catches resuming on different data of the same size.
   */
  labelHash: number;
}

export function fingerprint(d: Dataset): DataFingerprint {
  let h = 0x811c9dc5;
  for (let i = 0; i < d.labels.length; i++) h = Math.imul(h ^ d.labels[i], 0x01000193) >>> 0;
  // Class data hash as before, so checkpoints written before regression existed still resume.
  if (d.targets) {
    const bytes = new Uint8Array(d.targets.buffer, d.targets.byteOffset, d.targets.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  }
  return { count: d.count, dims: d.dims, labelHash: h };
}

/**
 * Both datasets fit the topology: input size, at least one batch, labels within the outputs; a
 * regression set has one target per example, a single output neuron, and the same kind as the other.
 */
export function checkData(compiled: CompiledTopology, config: TrainConfig, data: TrainingData): void {
  const inputs = compiled.sizes[0],
    outputs = compiled.sizes[compiled.sizes.length - 1];
  if (Boolean(data.train?.targets) !== Boolean(data.eval?.targets)) {
    throw new InputError(
      'engine',
      'data.eval',
      'one set has regression targets and the other class labels',
      'both regression sets or both class sets',
    );
  }
  for (const [name, d] of Object.entries(data) as [string, Dataset][]) {
    if (!d || d.dims !== inputs) {
      throw new InputError(
        'engine',
        `data.${name}`,
        `${d?.dims} inputs per example`,
        `${inputs} (the input layer size)`,
      );
    }
    if (d.count < config.batchSize) {
      throw new InputError('engine', `data.${name}`, `${d.count} examples`, `at least one batch (${config.batchSize})`);
    }
    if (d.targets) {
      checkRegressionTargets(name, d, outputs);
      continue;
    }
    for (let i = 0; i < d.labels.length; i++) {
      if (d.labels[i] >= outputs) {
        throw new InputError(
          'engine',
          `data.${name}`,
          `label ${d.labels[i]} at ${i}`,
          `labels below ${outputs} (the output layer size)`,
        );
      }
    }
  }
}

function checkRegressionTargets(name: string, d: Dataset, outputs: number): void {
  if (outputs !== 1) {
    throw new InputError(
      'engine',
      `data.${name}`,
      `regression targets for ${outputs} output neurons`,
      '1 output neuron for a regression set',
    );
  }
  if (d.targets!.length !== d.count) {
    throw new InputError(
      'engine',
      `data.${name}`,
      `${d.targets!.length} targets for ${d.count} examples`,
      'one target per example',
    );
  }
  const bad = d.targets!.findIndex((t) => !Number.isFinite(t));
  if (bad >= 0) throw new InputError('engine', `data.${name}`, `target ${d.targets![bad]} at ${bad}`, 'finite numbers');
}

/** Refuses a resume whose data differs from the fingerprints the checkpoint at `path` recorded. */
export function checkSameData(
  recorded: Record<keyof TrainingData, DataFingerprint>,
  data: TrainingData,
  path: string,
): void {
  for (const name of ['train', 'eval'] as const) {
    const want = recorded[name],
      got = fingerprint(data[name]);
    if (want.count !== got.count || want.dims !== got.dims || want.labelHash !== got.labelHash) {
      throw new InputError(
        'engine',
        `data.${name}`,
        `differs from the data the checkpoint ${path} was trained on (${got.count} examples vs ${want.count}, ` +
          'or other labels)',
        'the same data as the run that wrote the checkpoint',
      );
    }
  }
}
