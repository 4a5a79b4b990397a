/**
 * Add, train, then remove (beyond the paper; its "future directions"): after `removeSkipsAfter`
 * epochs every layer-skipping connection, and with removeIntralayer every intralayer one, is
 * zeroed and masked out, and training goes on with the layered remainder. Idempotent, so a run
 * resumed from a checkpoint re-applies it from its epoch count alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from './config.js';
import type { Parameters } from './learning.js';
import type { Network } from './network.js';

/** Indices of the blocks to remove before training epoch `epoch` + 1 (epoch = completed epochs). */
export function blocksToRemove(network: Network, config: TrainConfig, epoch: number): number[] {
  const after = config.removeSkipsAfter;
  if (after === undefined || after === null || epoch < after) return [];
  const kinds = new Set<string>(['skip', ...(config.removeIntralayer ? ['intralayer'] : [])]);
  return network.blocks.flatMap((block, i) => (kinds.has(block.kind) ? [i] : []));
}

/** Zeroes and masks out the given blocks in place (freeing the tensors they replace). */
export function removeBlocks(network: Network, params: Parameters, indices: number[]): void {
  const { weights, masks } = params;
  for (const i of indices) {
    const { rows, cols } = network.blocks[i];
    tf.dispose([weights[i], masks[i]]);
    weights[i] = tf.zeros([rows, cols]);
    masks[i] = tf.zeros([rows, cols]);
  }
}
