/** One seeded shuffle for the engine: the tabular sets' example order and the once-shuffled batch order. */
import { Rng } from '../graph/index.js';

/**
 * A seeded permutation of 0 … count − 1: Fisher–Yates from the last index down on the engine's Rng.
 * The order differs from the authors' (their numpy generator is not ours); the seed is documented.
 */
export function shuffledIndices(count: number, seed: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
