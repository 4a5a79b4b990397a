/**
 * The discretised dynamics of SPEC §2, structure-aware:
 *
 *     s ← clip( s + ε · (rho(s) · W + b − rho(s)), 0, 1 )        (rho(s) = s: states stay in [0, 1])
 *
 * rewritten per non-input layer l as
 *
 *     s_l ← clip( S_l · (ε W_{·,l}) + ε (x · W_{0,l} + b_l) + (1 − ε) s_l , 0, 1 )
 *
 * where S_l is the concatenation of the layers that share a block with l. The input term is a
 * constant "drive" computed once per batch (input neurons never change); the (1 − ε) s_l term is
 * folded into the matrix as (1 − ε) I on the diagonal block when layer l has intralayer
 * connections (the block is dense anyway), else added separately. No N × N product anywhere.
 * Same arithmetic as the dense formulation up to float32 rounding (test/engine/structured.test.ts).
 *
 * Weakly-clamped step: the same update, then on the output layer only
 *     s_out ← clip( s_out + 2 ε β (y − s_out), 0, 1 ) = clip( (1 − 2εβ) s_out + 2εβ y, 0, 1 ).
 *
 * States are arrays indexed by layer: state[0] is the input x (never updated), state[l] is B × n_l.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';

export type State = tf.Tensor2D[];

/** The per-batch linear operators of the recurrent part (fixed while the weights are). */
export interface Operators {
  /** sources[l]: the non-input layers whose states feed layer l, ascending. */
  sources: number[][];
  /** stacked[l]: ε · [W_{a,l} for a in sources[l]] stacked by rows (null when sources[l] is empty). */
  stacked: (tf.Tensor2D | null)[];
  /** folded[l]: the (1 − ε) s_l term is inside stacked[l]. */
  folded: boolean[];
  /** Scalar 1 − ε. */
  keep: tf.Scalar;
}

/** The nudge of the weakly-clamped phase for one batch. */
export interface Clamp {
  /** Scalar 1 − 2εβ. */
  keep: tf.Scalar;
  /** 2εβ y, B × n_K. */
  pull: tf.Tensor2D;
}

export function blockIndex(network: Network): Map<string, number> {
  return new Map(network.blocks.map((block, i) => [`${block.a}-${block.b}`, i]));
}

/** Builds the operators from the current weights (one tensor per block, same order as network.blocks). */
export function buildOperators(network: Network, weights: tf.Tensor2D[], epsilon: number): Operators {
  const { K, sizes } = network;
  const index = blockIndex(network);
  const sources: number[][] = [[]];
  const stacked: (tf.Tensor2D | null)[] = [null];
  const folded: boolean[] = [false];
  for (let l = 1; l <= K; l++) {
    const src: number[] = [];
    for (let a = 1; a <= K; a++) {
      const i = index.get(`${Math.min(a, l)}-${Math.max(a, l)}`);
      if (i !== undefined && network.blocks[i].maskCount > 0) src.push(a);
    }
    sources.push(src);
    folded.push(src.includes(l));
    if (src.length === 0) {
      stacked.push(null);
      continue;
    }
    stacked.push(
      tf.tidy(() => {
        const pieces = src.map((a) => {
          const W = weights[index.get(`${Math.min(a, l)}-${Math.max(a, l)}`)!];
          if (a < l) return tf.mul(W, epsilon);
          if (a > l) return tf.mul(tf.transpose(W), epsilon);
          return tf.add(tf.mul(W, epsilon), tf.mul(tf.eye(sizes[l]), 1 - epsilon));
        });
        return (pieces.length === 1 ? pieces[0] : tf.concat(pieces, 0)) as tf.Tensor2D;
      }),
    );
  }
  return { sources, stacked, folded, keep: tf.scalar(1 - epsilon) };
}

export function disposeOperators(ops: Operators): void {
  for (const t of ops.stacked) t?.dispose();
  ops.keep.dispose();
}

/** ε (x · W_{0,l} + b_l) for every non-input layer l (index 0 unused, an empty placeholder). */
export function buildDrive(network: Network, weights: tf.Tensor2D[], biases: tf.Tensor1D[], x: tf.Tensor2D, epsilon: number): tf.Tensor2D[] {
  return tf.tidy(() => {
    const drive: tf.Tensor2D[] = [tf.zeros([0, 0])];
    for (let l = 1; l <= network.K; l++) {
      let d: tf.Tensor = tf.mul(tf.ones([x.shape[0], 1]), biases[l]);
      network.blocks.forEach((block, i) => {
        if (block.a === 0 && block.b === l && block.maskCount > 0) d = tf.add(d, tf.matMul(x, weights[i]));
      });
      drive.push(tf.mul(d, epsilon) as tf.Tensor2D);
    }
    return drive;
  });
}

export function makeClamp(target: tf.Tensor2D, epsilon: number, betaSigned: number): Clamp {
  const strength = 2 * epsilon * betaSigned;
  return { keep: tf.scalar(1 - strength), pull: tf.tidy(() => tf.mul(target, strength)) as tf.Tensor2D };
}

export function disposeClamp(clamp: Clamp): void {
  clamp.keep.dispose();
  clamp.pull.dispose();
}

/** One synchronous update of every non-input layer from the old state (call inside tf.tidy). */
export function step(ops: Operators, drive: tf.Tensor2D[], state: State, clamp?: Clamp): State {
  const K = state.length - 1;
  const concatenated = new Map<string, tf.Tensor2D>();
  const next: State = [state[0]];
  for (let l = 1; l <= K; l++) {
    const src = ops.sources[l];
    let pre: tf.Tensor2D = drive[l];
    if (src.length > 0) {
      const key = src.join(',');
      let X = concatenated.get(key);
      if (!X) {
        X = src.length === 1 ? state[src[0]] : tf.concat(src.map((a) => state[a]), 1);
        concatenated.set(key, X);
      }
      pre = tf.add(tf.matMul(X, ops.stacked[l]!), drive[l]);
    }
    if (!ops.folded[l]) pre = tf.add(pre, tf.mul(state[l], ops.keep));
    let s: tf.Tensor2D = tf.clipByValue(pre, 0, 1);
    if (clamp && l === K) s = tf.clipByValue<tf.Tensor2D>(tf.add(tf.mul(s, clamp.keep), clamp.pull) as tf.Tensor2D, 0, 1);
    next.push(s);
  }
  return next;
}

/** Disposes the non-input layers of a state (state[0] is the caller's input tensor). */
export function disposeState(state: State): void {
  for (let l = 1; l < state.length; l++) state[l].dispose();
}

/**
 * Runs `steps` updates from `initial` (left untouched; the caller still owns it) and returns the
 * final state. Only two states are alive at any time.
 */
export function runPhase(ops: Operators, drive: tf.Tensor2D[], initial: State, steps: number, clamp?: Clamp): State {
  let state = initial;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => step(ops, drive, state, clamp));
    if (state !== initial) disposeState(state);
    state = next;
  }
  return state;
}
