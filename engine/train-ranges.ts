/**
 * The accepted range of every number in a TrainConfig: one table that the engine's
 * validateTrainConfig, the CLI's flag parsing and (through them) the API all check, and that
 * docs/security.md documents. The ranges keep one training step finite in float32: the weight
 * update is rate/β · (ρρ⁺ − ρρ⁻) with ρ ∈ [0, 1], so rate ≤ 1000 and β ≥ 1e-6 bound it by 1e9 per
 * batch (float32 holds 3.4e38); finite extremes like rate 1e308 or β 5e-324 overflow in the
 * first batch and would only be found after the run's row was written. The step counts, batch
 * size and seeds are bounded by what a run can do in practice and what the Rng takes (32 bits).
 */
import type { NumberRange } from '../graph/index.js';

export { describeRange, inRange, type NumberRange } from '../graph/index.js';

export const TRAIN_RANGES = {
  epsilon: { min: 0, minExclusive: true, max: 1 },
  beta: { min: 1e-6, max: 10 },
  learningRate: { min: 0, max: 1000 },
  freeSteps: { integer: true, min: 1, max: 100_000 },
  clampedSteps: { integer: true, min: 1, max: 100_000 },
  batchSize: { integer: true, min: 1, max: 50_000 },
  seed: { integer: true, min: 0, max: 2 ** 32 - 1 },
  rateEvery: { integer: true, min: 0, max: 1_000_000_000 },
  checkpointEvery: { integer: true, min: 0, max: 1_000_000_000 },
  removeSkipsAfter: { integer: true, min: 0, max: 100_000 },
} as const satisfies Record<string, NumberRange>;
