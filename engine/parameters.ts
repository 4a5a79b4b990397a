/**
 * A run's parameters as tensors (engine/learning.ts Parameters) and the host-side network they
 * come from and go back to: uploaded once when a run starts, downloaded for checkpoints and exports.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Parameters } from './learning.js';
import type { Network } from './network.js';

export function uploadParameters(network: Network): Parameters {
  return {
    weights: network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols])),
    masks: network.blocks.map((b) => tf.tensor2d(Float32Array.from(b.mask), [b.rows, b.cols])),
    biases: network.biases.map((b) => tf.tensor1d(b)),
  };
}

/** Copies the current weights and biases into the host-side network. */
export function downloadParameters(params: Parameters, network: Network): void {
  network.blocks.forEach((block, i) => {
    block.weights.set(params.weights[i].dataSync() as Float32Array);
  });
  params.biases.forEach((b, l) => {
    network.biases[l].set(b.dataSync() as Float32Array);
  });
}

export function disposeParameters(params: Parameters): void {
  tf.dispose([...params.weights, ...params.masks, ...params.biases]);
}
