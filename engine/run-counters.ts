/**
 * The counters of a training run: where it is (epoch, batch), what the current epoch has seen so
 * far, and the running sign of β. They are saved in every checkpoint, so a run resumed mid-epoch
 * reports the same errors, block errors and β signs as one that was never stopped.
 */
export interface Counters {
  /** Completed epochs. */
  epoch: number;
  /** Next training batch of the current epoch. */
  batchInEpoch: number;
  /** Training batches done since the start of the run. */
  globalBatch: number;
  epochErrors: number;
  epochExamples: number;
  epochFreeSteps: number;
  epochElapsedMs: number;
  /** Wrong training predictions per block of errorBlockBatches batches this epoch; null = not counted. */
  blockErrors: number[] | null;
  errorBlockBatches: number;
  /** Running sign of β (SPEC §2: flipped with probability ½ per batch). */
  betaSign: number;
}

/** The counters of a run that has not trained yet. Key order is kept: it is part of the checkpoint bytes. */
export function freshCounters(errorBlockBatches: number): Counters {
  return {
    epoch: 0,
    batchInEpoch: 0,
    globalBatch: 0,
    epochErrors: 0,
    epochExamples: 0,
    epochFreeSteps: 0,
    epochElapsedMs: 0,
    blockErrors: [],
    errorBlockBatches,
    betaSign: 1,
  };
}

/** Adds training batch i of the epoch (its wrong predictions and mean free steps) to the counters. */
export function recordBatch(c: Counters, i: number, errors: number, batchSize: number, meanFreeSteps: number): void {
  c.batchInEpoch = i + 1;
  c.globalBatch++;
  c.epochErrors += errors;
  if (c.blockErrors) {
    const block = Math.floor(i / c.errorBlockBatches);
    c.blockErrors[block] = (c.blockErrors[block] ?? 0) + errors;
  }
  c.epochExamples += batchSize;
  c.epochFreeSteps += meanFreeSteps;
}

/** The epoch's block errors as fractions of each block's examples (the last block may be shorter). */
export function blockErrorFractions(c: Counters, batches: number, batchSize: number): number[] | null {
  const perBlock = c.errorBlockBatches;
  const examples = (k: number) => Math.min(perBlock, batches - k * perBlock) * batchSize;
  return c.blockErrors?.map((wrong, k) => wrong / examples(k)) ?? null;
}

/** The counters after an epoch ends: the next epoch starts at its first batch with nothing counted. */
export function nextEpoch(c: Counters): Counters {
  return {
    ...c,
    epoch: c.epoch + 1,
    batchInEpoch: 0,
    epochErrors: 0,
    epochExamples: 0,
    epochFreeSteps: 0,
    epochElapsedMs: 0,
    blockErrors: [],
  };
}
