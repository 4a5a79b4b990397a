/**
 * The learning update of one training batch from its phases as host arrays (engine/phases.ts
 * PhaseResult): the states the rule contrasts (engine/symmetric-nudging.ts) uploaded per layer,
 * the rule applied (engine/learning.ts), and the eq. 2 rates brought back to the host.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from './config.js';
import { disposeState } from './dynamics/step.js';
import { learningUpdate, type Parameters } from './learning.js';
import type { Network } from './network.js';
import { toState, type PhaseResult } from './phases.js';
import { contrastedPhases } from './symmetric-nudging.js';

export interface BatchUpdate {
  weights: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  /** Eq. 2 rate of every adjacent pair 0 … K−1, when asked for. */
  rates: Float32Array | null;
}

/** New weights and biases after the batch with inputs `x` (the old ones are left to the caller). */
export function updateFromPhases(
  network: Network,
  params: Parameters,
  x: Float32Array,
  result: PhaseResult,
  betaSigned: number,
  config: TrainConfig,
  wantRates: boolean,
): BatchUpdate {
  const xt = tf.tensor2d(x, [config.batchSize, network.sizes[0]]);
  const phases = contrastedPhases(result, betaSigned);
  const low = toState(network, xt, phases.low);
  const high = toState(network, xt, phases.high);
  const update = learningUpdate(network, params, low, high, phases.betaSigned, config, wantRates);
  const rates = update.rates ? (update.rates.dataSync() as Float32Array).slice() : null;
  update.rates?.dispose();
  disposeState(low);
  disposeState(high);
  xt.dispose();
  return { weights: update.weights, biases: update.biases, rates };
}
