/**
 * The EqProp learning rule (SPEC §3) and the per-layer training rate (SPEC §5 eq. 2).
 *
 *     ΔW_ij = (η_ij / β) · mean_batch[ s_c,i s_c,j − s_f,i s_f,j ]   existing connections only
 *     Δb_i  = (η_i  / β) · mean_batch[ s_c,i − s_f,i ]                 non-input neurons
 *
 * β carries its sign for the batch. Per block (a, b) the bracket is one product:
 * [s_c,a ; s_f,a]ᵀ · [s_c,b ; −s_f,b] (rows stacked over the batch), or xᵀ (s_c,b − s_f,b) when
 * a is the input layer (clamped in both phases). Intralayer updates are symmetrised exactly.
 *
 * The left factor is transposed by its own op, not by matMul's transposeA flag: on tfjs-wasm a
 * transposed-A product leaves XNNPACK for a naive loop (measured: 40 × 500 → 500 × 500 takes
 * 8.5 ms with the flag, 0.66 ms as transpose + matMul; ≈ 90 ms of every paper-sized batch).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import type { State } from './dynamics/step.js';
import { biasRate, weightRate, type TrainConfig } from './config.js';

export interface Parameters {
  /** One tensor per network block, same order. */
  weights: tf.Tensor2D[];
  /** 0/1 float masks, same order (constant). */
  masks: tf.Tensor2D[];
  /** biases[l], l = 0 … K (biases[0] stays zero). */
  biases: tf.Tensor1D[];
}

export interface UpdateResult {
  weights: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  /** Eq. 2 rate of every adjacent pair 0 … K−1 (when asked for). */
  rates: tf.Tensor1D | null;
}

/** New weights and biases (the old ones are left for the caller to dispose). */
export function learningUpdate(
  network: Network,
  params: Parameters,
  free: State,
  clamped: State,
  betaSigned: number,
  config: TrainConfig,
  wantRates: boolean,
): UpdateResult {
  let rateTensor: tf.Tensor1D | null = null;
  const result = tf.tidy(() => {
    const x = free[0];
    const batch = x.shape[0];
    const rates: tf.Scalar[] = new Array(network.K);
    // Factors shared by several blocks, built once: xᵀ, [s_c,a ; s_f,a]ᵀ per layer a, and per layer b
    // the clamped-minus-free difference and [s_c,b ; −s_f,b].
    const memo = new Map<string, tf.Tensor2D>();
    const once = (key: string, make: () => tf.Tensor) => {
      let t = memo.get(key);
      if (!t) {
        t = make() as tf.Tensor2D;
        memo.set(key, t);
      }
      return t;
    };
    const weights = network.blocks.map((block, i) => {
      // The coefficient (and the ½ of the symmetrisation) scales the small B-row factor, not the block.
      const coefficient =
        (weightRate(config, block.kind, block.rateClass) / (betaSigned * batch)) *
        (block.kind === 'intralayer' ? 0.5 : 1);
      let bracket: tf.Tensor2D;
      if (block.a === 0) {
        bracket = tf.matMul(
          once('xT', () => tf.transpose(x)),
          tf.mul(
            once(`diff${block.b}`, () => tf.sub(clamped[block.b], free[block.b])),
            coefficient,
          ),
        );
      } else {
        const leftT = once(`leftT${block.a}`, () => tf.transpose(tf.concat([clamped[block.a], free[block.a]], 0)));
        const right = once(`right${block.b}`, () => tf.concat([clamped[block.b], tf.neg(free[block.b])], 0));
        bracket = tf.matMul(leftT, tf.mul(right, coefficient));
        if (block.kind === 'intralayer') bracket = tf.add(bracket, tf.transpose(bracket));
      }
      const delta = tf.mul(bracket, params.masks[i]);
      if (wantRates && block.kind === 'adjacent')
        rates[block.a] = tf.sqrt(tf.div(tf.sum(tf.square(delta)), block.rows * block.cols)) as tf.Scalar;
      return tf.add(params.weights[i], delta) as tf.Tensor2D;
    });
    const biases = params.biases.map((b, l) => {
      if (l === 0) return tf.clone(b);
      const coefficient = biasRate(config, l) / betaSigned;
      return tf.add(b, tf.mul(tf.mean(tf.sub(clamped[l], free[l]), 0), coefficient)) as tf.Tensor1D;
    });
    if (wantRates) {
      for (let p = 0; p < network.K; p++) rates[p] ??= tf.scalar(0);
      rateTensor = tf.keep(tf.stack(rates) as tf.Tensor1D);
    }
    return { weights, biases };
  });
  return { ...result, rates: rateTensor };
}
