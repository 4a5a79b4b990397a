/**
 * Batches as host arrays. Batch i is examples [iB, (i+1)B) of a dataset, in the same order every
 * epoch; a remainder smaller than a batch is not used (so every particle store holds whole batches).
 */
import type { Dataset } from './mnist.js';

/** Whole batches in a dataset. */
export function batchCount(d: Dataset, batchSize: number): number {
  return Math.floor(d.count / batchSize);
}

/** Batch i's pixels, a view into the dataset (copy it before handing it to another thread). */
export function batchPixels(d: Dataset, i: number, batchSize: number): Float32Array {
  return d.images.subarray(i * batchSize * d.dims, (i + 1) * batchSize * d.dims);
}

/** Batch i's labels, a view into the dataset. */
export function batchLabels(d: Dataset, i: number, batchSize: number): Uint8Array {
  return d.labels.subarray(i * batchSize, (i + 1) * batchSize);
}

/** Batch i's one-hot targets for the weakly-clamped phase, `outputs` values per row. */
export function oneHotTargets(labels: Uint8Array, outputs: number): Float32Array {
  const target = new Float32Array(labels.length * outputs);
  labels.forEach((label, row) => (target[row * outputs + label] = 1));
  return target;
}

/**
 * Misclassified rows of a batch's free equilibrium (`width` non-input neurons per row, the
 * `outputs` output neurons last): prediction = first index of the largest output, as tf.argMax.
 */
export function countErrors(free: Float32Array, labels: Uint8Array, width: number, outputs: number): number {
  let errors = 0;
  for (let row = 0; row < labels.length; row++) {
    const base = row * width + width - outputs;
    let best = 0;
    for (let k = 1; k < outputs; k++) if (free[base + k] > free[base + best]) best = k;
    if (best !== labels[row]) errors++;
  }
  return errors;
}
