/**
 * Persistent particles (SPEC §3): one stored free-phase state of the non-input neurons per batch
 * index, starting at zeros. Loaded before a batch's free phase, overwritten with its free
 * equilibrium afterwards. Kept host-side so the number of live tensors does not grow with the
 * dataset and so checkpoints can write them as they are.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { State } from './dynamics.js';

export class ParticleStore {
  /** batches × batchSize × width, row-major (width = non-input neurons, layer 1 first). */
  readonly data: Float32Array;

  constructor(
    readonly batches: number,
    readonly batchSize: number,
    /** Sizes of layers 1 … K. */
    readonly layerSizes: number[],
    data?: Float32Array,
  ) {
    const length = batches * batchSize * this.width;
    if (data && data.length !== length) throw new RangeError(`eqprop/engine: particle data has ${data.length} values; expected ${length}`);
    this.data = data ?? new Float32Array(length);
  }

  get width(): number {
    return this.layerSizes.reduce((a, b) => a + b, 0);
  }

  /** The stored state of batch i with x as layer 0 (new tensors for layers 1 … K). */
  load(i: number, x: tf.Tensor2D): State {
    const size = this.batchSize * this.width;
    const flat = tf.tensor2d(this.data.subarray(i * size, (i + 1) * size), [this.batchSize, this.width]);
    const layers = this.layerSizes.length === 1 ? [flat] : tf.split(flat, this.layerSizes, 1);
    if (this.layerSizes.length > 1) flat.dispose();
    return [x, ...(layers as tf.Tensor2D[])];
  }

  save(i: number, state: State): void {
    const size = this.batchSize * this.width;
    const flat = tf.tidy(() => (state.length === 2 ? state[1] : tf.concat(state.slice(1), 1)));
    this.data.set(flat.dataSync() as Float32Array, i * size);
    if (state.length > 2) flat.dispose();
  }
}
