/**
 * Batches as host arrays. Batch i is examples [iB, (i+1)B) of a dataset (the order in which an
 * epoch visits the batches is engine/batch-order.ts's); a remainder smaller than a batch is not
 * used (so every particle store holds whole batches).
 *
 * Two kinds of target: a class label (one-hot target, error = misclassified fraction) or, for a
 * regression set (Dataset.targets), one real value per example nudging the one output neuron
 * (error = mean squared error). The energy and cost are the same for both (SPEC §2).
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
  for (const [row, label] of labels.entries()) target[row * outputs + label] = 1;
  return target;
}

/** Batch i's regression targets (one per row), a view into the dataset; null for a class dataset. */
export function batchRegressionTargets(d: Dataset, i: number, batchSize: number): Float32Array | null {
  return d.targets ? d.targets.subarray(i * batchSize, (i + 1) * batchSize) : null;
}

/** Batch i's targets for the weakly-clamped phase: the regression values, else one-hot labels. */
export function batchTargets(d: Dataset, i: number, batchSize: number, outputs: number): Float32Array {
  return batchRegressionTargets(d, i, batchSize)?.slice() ?? oneHotTargets(batchLabels(d, i, batchSize), outputs);
}

/**
 * Batch i's error sum on its free equilibrium: misclassified rows (class data), or the sum over
 * rows of (output − target)² (regression: one output). Divided by the examples it is the class
 * error or the mean squared error. Summed in float64 from the float32 outputs.
 */
export function batchErrorSum(
  free: Float32Array,
  d: Dataset,
  i: number,
  batchSize: number,
  width: number,
  outputs: number,
): number {
  const targets = batchRegressionTargets(d, i, batchSize);
  return targets
    ? squaredErrorSum(free, targets, width)
    : countErrors(free, batchLabels(d, i, batchSize), width, outputs);
}

/** Σ over rows of (output − target)², the one output neuron being the last of each row. */
export function squaredErrorSum(free: Float32Array, targets: Float32Array, width: number): number {
  let sum = 0;
  for (let row = 0; row < targets.length; row++) {
    const diff = free[row * width + width - 1] - targets[row];
    sum += diff * diff;
  }
  return sum;
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
