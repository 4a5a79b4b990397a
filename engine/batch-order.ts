/**
 * The order in which an epoch visits the training batches. 'fixed' (the paper's, the default):
 * batch 0, 1, 2, … every epoch. 'shuffled-once' (the journal version's MNIST and Fashion-MNIST
 * runs): one seeded permutation of the batches, drawn once and visited in that order every epoch.
 * Only the visiting order changes: batch i is still examples [iB, (i+1)B) with its own persistent
 * particle, so a checkpoint's position in the epoch plus the seed restores the order exactly.
 */
import { Rng } from '../graph/rng.js';

export type BatchOrder = { kind: 'fixed' } | { kind: 'shuffled-once'; seed: number };

/** The batch index visited at each position of an epoch of `batches` batches. */
export function batchVisitOrder(batches: number, order: BatchOrder | null | undefined): number[] {
  const visit = Array.from({ length: batches }, (_, i) => i);
  if (!order || order.kind === 'fixed') return visit;
  // Fisher–Yates from the last position down, on the engine's Rng (never Math.random).
  const rng = new Rng(order.seed);
  for (let i = batches - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [visit[i], visit[j]] = [visit[j], visit[i]];
  }
  return visit;
}
