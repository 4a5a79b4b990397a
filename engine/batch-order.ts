/**
 * The order in which an epoch visits the training batches. 'fixed' (the paper's, the default):
 * batch 0, 1, 2, … every epoch. 'shuffled-once' (the journal version's MNIST and Fashion-MNIST
 * runs): one seeded permutation of the batches, drawn once and visited in that order every epoch.
 * Only the visiting order changes: batch i is still examples [iB, (i+1)B) with its own persistent
 * particle, so a checkpoint's position in the epoch plus the seed restores the order exactly.
 */
import { shuffledIndices } from './shuffle.js';

export type BatchOrder = { kind: 'fixed' } | { kind: 'shuffled-once'; seed: number };

/** The batch index visited at each position of an epoch of `batches` batches. */
export function batchVisitOrder(batches: number, order: BatchOrder | null | undefined): number[] {
  if (!order || order.kind === 'fixed') return Array.from({ length: batches }, (_, i) => i);
  return shuffledIndices(batches, order.seed);
}
