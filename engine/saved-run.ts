/**
 * A checkpoint read back as what Trainer.resume starts from (engine/trainer-checkpoint.ts decides
 * what a checkpoint holds), checked in order: the file, the data it was trained on, its config,
 * the threads the resume asks for, its particle stores.
 */
import type { CompiledTopology } from '../graph/index.js';
import type { RngState } from '../graph/index.js';
import { validateTrainConfig, type TrainConfig } from './config.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import type { ParticleStore } from './particles.js';
import type { Counters } from './run-counters.js';
import { checkSameData, type TrainingData } from './training-data.js';
import { checkThreads } from './trainer-options.js';
import type { CheckpointFingerprint } from './checkpoint-fingerprint.js';
import {
  compiledFromCheckpoint,
  countersFromCheckpoint,
  particleStoresFromCheckpoint,
  readTrainerCheckpoint,
} from './trainer-checkpoint.js';

export interface SavedRun {
  /** The topology with the weights and biases it had when saved. */
  compiled: CompiledTopology;
  config: TrainConfig;
  counters: Counters;
  rng: RngState;
  layout: StepLayout;
  stores: (readonly [string, ParticleStore])[];
  /** Absent in checkpoints written before fingerprints. */
  fingerprint: CheckpointFingerprint | undefined;
}

export function readSavedRun(path: string, data: TrainingData, threads: number | undefined): SavedRun {
  const saved = readTrainerCheckpoint(path);
  const { meta } = saved;
  const compiled = compiledFromCheckpoint(saved);
  checkSameData(meta.data, data, path);
  validateTrainConfig(meta.config, compiled.sizes.length - 1);
  checkThreads(threads);
  const stores = particleStoresFromCheckpoint(saved, path);
  const { config, rng, layout, fingerprint } = meta;
  return { compiled, config, counters: countersFromCheckpoint(meta.counters), rng, layout, stores, fingerprint };
}
