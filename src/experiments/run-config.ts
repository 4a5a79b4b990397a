/**
 * What a training run is: the configuration stored with the run record (RunRecord.config) and
 * everything needed to start or resume it on any machine — by `eqprop train`, a local sweep
 * worker, or a queue worker. JSON-serialisable on purpose.
 */
import type { ResolvedSpec } from '../../graph/types.js';
import type { TrainConfig } from '../../engine/config.js';
import type { DatasetName } from '../../engine/datasets/names.js';
import type { BackendChoice } from '../config.js';

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
