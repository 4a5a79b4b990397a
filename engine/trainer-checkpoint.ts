/**
 * What a Trainer puts in a checkpoint and how a resume reads it back. engine/checkpoint.ts knows
 * the file format (named typed arrays plus a JSON header); this module decides the contents: the
 * JSON `meta` (config, counters, Rng state, backend, layout, data fingerprints, topology shape,
 * particle store shapes) and the sections (weights, masks, skip list, biases, particles).
 *
 * The order of the sections and of the keys in `meta` is part of the checkpoint's bytes: keep it,
 * so a checkpoint written before and after a change to this code is the same file.
 */
import type { CompiledTopology, DenseBlock } from '../graph/index.js';
import { InputError } from '../lib/index.js';
import type { RngState } from '../graph/index.js';
import type { TrainConfig } from './config.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import { ParticleStore } from './particles.js';
import { readCheckpointFile, writeCheckpointFile, type TypedArray } from './checkpoint.js';
import { fingerprint, type DataFingerprint, type TrainingData } from './training-data.js';
import type { Counters } from './run-counters.js';
import { ERROR_BLOCK_BATCHES } from './error-blocks.js';
import type { CheckpointFingerprint } from './checkpoint-fingerprint.js';

/** Counters as saved; checkpoints from before block counting lack the last two fields. */
type SavedCounters = Omit<Counters, 'blockErrors' | 'errorBlockBatches'> &
  Partial<Pick<Counters, 'blockErrors' | 'errorBlockBatches'>>;

export interface CheckpointMeta {
  config: TrainConfig;
  counters: SavedCounters;
  rng: RngState;
  backend: string;
  layout: StepLayout;
  data: { train: DataFingerprint; eval: DataFingerprint };
  topology: {
    sizes: number[];
    offsets: number[];
    N: number;
    blocks: Omit<DenseBlock, 'weights' | 'mask'>[];
    skipCount: number;
  };
  particles: { name: string; batches: number; batchSize: number; layerSizes: number[] }[];
  /**
   * What the run was trained on (engine/checkpoint-fingerprint.ts). Last, so the keys before it
   * keep their bytes; absent in checkpoints written before it existed.
   */
  fingerprint?: CheckpointFingerprint;
}

/** Everything of a running Trainer that a checkpoint holds. */
export interface TrainerSnapshot {
  /** The topology with the current weights and biases. */
  compiled: CompiledTopology;
  particleStores: Map<string, ParticleStore>;
  config: TrainConfig;
  counters: Counters;
  rng: RngState;
  backend: string;
  layout: StepLayout;
  data: TrainingData;
  /** Null only for a run resumed from a checkpoint older than fingerprints that nobody checked. */
  fingerprint: CheckpointFingerprint | null;
}

export function writeTrainerCheckpoint(path: string, run: TrainerSnapshot): void {
  const { compiled } = run;
  const sections = new Map<string, TypedArray>();
  compiled.blocks.forEach((b, i) => {
    sections.set(`block.${i}.weights`, b.weights);
    sections.set(`block.${i}.mask`, b.mask);
  });
  const { skip } = compiled;
  sections.set('skip.src', skip.src).set('skip.dst', skip.dst).set('skip.srcLayer', skip.srcLayer);
  sections.set('skip.dstLayer', skip.dstLayer).set('skip.weight', skip.weight).set('skip.rateClass', skip.rateClass);
  sections.set('biases', compiled.biases).set('biasRateClass', compiled.biasRateClass);
  for (const [name, store] of run.particleStores) sections.set(`particles.${name}`, store.data);
  const meta: CheckpointMeta = {
    config: run.config,
    counters: run.counters,
    rng: run.rng,
    backend: run.backend,
    layout: run.layout,
    data: { train: fingerprint(run.data.train), eval: fingerprint(run.data.eval) },
    topology: {
      sizes: compiled.sizes,
      offsets: compiled.offsets,
      N: compiled.N,
      skipCount: skip.count,
      blocks: compiled.blocks.map(({ kind, from, to, rows, cols, rateClass }) => ({
        kind,
        from,
        to,
        rows,
        cols,
        rateClass,
      })),
    },
    particles: [...run.particleStores].map(([name, s]) => ({
      name,
      batches: s.batches,
      batchSize: s.batchSize,
      layerSizes: s.layerSizes,
    })),
    ...(run.fingerprint ? { fingerprint: run.fingerprint } : {}),
  };
  writeCheckpointFile(path, meta, sections);
}

/** A checkpoint as read: its meta, and its sections by name (a missing one is an InputError). */
export interface SavedTrainer {
  meta: CheckpointMeta;
  section<T extends TypedArray>(name: string): T;
}

export function readTrainerCheckpoint(path: string): SavedTrainer {
  const { meta, sections } = readCheckpointFile(path);
  return {
    meta: meta as CheckpointMeta,
    section<T extends TypedArray>(name: string): T {
      const s = sections.get(name);
      if (!s) {
        throw new InputError('engine/checkpoint', path, `section ${name} is missing`, 'a complete eqprop checkpoint');
      }
      return s as T;
    },
  };
}

/** The topology the checkpoint was taken with, its weights and biases as they were then. */
export function compiledFromCheckpoint({ meta, section }: SavedTrainer): CompiledTopology {
  const { topology } = meta;
  return {
    sizes: topology.sizes,
    offsets: topology.offsets,
    N: topology.N,
    blocks: topology.blocks.map((b, i) => ({
      ...b,
      weights: section<Float32Array>(`block.${i}.weights`),
      mask: section<Uint8Array>(`block.${i}.mask`),
    })),
    skip: {
      count: topology.skipCount,
      src: section('skip.src'),
      dst: section('skip.dst'),
      srcLayer: section('skip.srcLayer'),
      dstLayer: section('skip.dstLayer'),
      weight: section('skip.weight'),
      rateClass: section('skip.rateClass'),
    },
    biases: section('biases'),
    biasRateClass: section('biasRateClass'),
  };
}

/** The particle stores by name, each checked to hold exactly the values its recorded shape needs. */
export function particleStoresFromCheckpoint(
  { meta, section }: SavedTrainer,
  path: string,
): (readonly [string, ParticleStore])[] {
  return meta.particles.map((p) => {
    const values = section<Float32Array>(`particles.${p.name}`);
    if (values.length !== p.batches * p.batchSize * p.layerSizes.reduce((a, b) => a + b, 0)) {
      throw new InputError(
        'engine/checkpoint',
        path,
        `particles.${p.name} has ${values.length} values for ${p.batches} batches of ${p.batchSize}`,
        'a complete eqprop checkpoint',
      );
    }
    return [p.name, new ParticleStore(p.batches, p.batchSize, p.layerSizes, values)] as const;
  });
}

/** The saved counters, completed for checkpoints written before the training error was counted per block. */
export function countersFromCheckpoint(saved: SavedCounters): Counters {
  // Their block errors are known only if the epoch had not started.
  const blockErrors = saved.blockErrors === undefined ? (saved.batchInEpoch === 0 ? [] : null) : saved.blockErrors;
  // Spread first and override in place: the key order is part of the next checkpoint's bytes.
  return {
    ...saved,
    blockErrors: blockErrors && [...blockErrors],
    errorBlockBatches: saved.errorBlockBatches ?? ERROR_BLOCK_BATCHES,
  };
}
