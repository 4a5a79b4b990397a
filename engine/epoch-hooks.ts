/**
 * What Trainer.trainEpoch reports while it runs (per batch, and the eq. 2 rates), what it asks
 * (stop now?), where its checkpoints go, and what it returns for the epoch.
 */
import type { RatePoint } from './rates.js';

export interface BatchProgress {
  /** 1-based epoch being trained. */
  epoch: number;
  /** Batches of this epoch done so far (1-based). */
  batch: number;
  batches: number;
  /** Training error so far in this epoch (fraction of examples; regression: mean squared error). */
  trainErrorSoFar: number;
}

export interface EpochHooks {
  onBatch?(progress: BatchProgress): void;
  /** Eq. 2 rates of the batches that recorded them (every config.rateEvery batches). */
  onRates?(points: RatePoint[]): void;
  /** Where checkpoints go (every config.checkpointEvery batches, at a stop, and at epoch end). */
  checkpointPath?: string;
  /** Asked after every batch; true ends the epoch early (after writing a checkpoint, if a path is given). */
  shouldStop?(): boolean;
}

export interface EpochOutcome {
  /** 1-based epoch number. */
  epoch: number;
  trainError: number;
  /** NaN when stopped before the epoch ended. */
  evalError: number;
  durationMs: number;
  meanFreeSteps: number;
  /** True when shouldStop ended the epoch early; trainEpoch() continues it. */
  stopped: boolean;
  /**
   * Training error within each block of ERROR_BLOCK_BATCHES batches of the epoch, in order (the last
   * block may be shorter); null when the epoch was resumed from a checkpoint that did not count them.
   */
  blockErrors: number[] | null;
}
