/**
 * The discretised dynamics of SPEC §2, structure-aware:
 *
 *     s ← clip( s + ε · (rho(s) · W + b − rho(s)), 0, 1 )        (rho(s) = s: states stay in [0, 1])
 *
 * one step and whole phases of it, in either layout of the operators (engine/dynamics/operators.ts),
 * free or weakly clamped (engine/dynamics/clamp.ts).
 *
 * States are arrays indexed by layer: state[0] is the input x (never updated), state[l] is B × n_l.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Operators } from './operators.js';
import { clampColumns, type Clamp } from './clamp.js';

export type State = tf.Tensor2D[];

/** One synchronous update of every non-input layer from the old state (call inside tf.tidy). */
export function step(ops: Operators, drive: tf.Tensor2D[], state: State, clamp?: Clamp): State {
  const K = state.length - 1;
  const concatenated = new Map<string, tf.Tensor2D>();
  const next: State = [state[0]];
  for (let l = 1; l <= K; l++) {
    const src = ops.sources[l];
    // Terms of the pre-activation, summed by one AddN (one op instead of two chained adds).
    const terms: tf.Tensor2D[] = [drive[l]];
    if (src.length > 0) {
      const key = src.join(',');
      let X = concatenated.get(key);
      if (!X) {
        X =
          src.length === 1
            ? state[src[0]]
            : tf.concat(
                src.map((a) => state[a]),
                1,
              );
        concatenated.set(key, X);
      }
      terms.unshift(tf.matMul(X, ops.stacked[l]!));
    }
    if (!ops.folded[l]) terms.push(tf.mul(state[l], ops.keep));
    const fbMatrix = clamp?.feedback?.matrix[l];
    if (fbMatrix) terms.push(tf.matMul(state[K], fbMatrix), clamp!.feedback!.offset[l]!);
    const pre = terms.length === 1 ? terms[0] : tf.addN(terms);
    // SPEC §2: the nudge acts on the unclipped energy step; one clip follows.
    const nudged = clamp && l === K ? tf.add(tf.mul(pre, clamp.keep), clamp.pull) : pre;
    next.push(tf.clipByValue(nudged, 0, 1) as tf.Tensor2D);
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
  if (ops.layout === 'fused') return runFusedPhase(ops, drive, initial, steps, clamp);
  let state = initial;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => step(ops, drive, state, clamp));
    if (state !== initial) disposeState(state);
    state = next;
  }
  return state;
}

/**
 * The fused layout: H ← clip(H · W_M + drive). The clamped nudge acts on the output columns only
 * through a per-column factor (1 on hidden columns, 1 − 2εβ on output columns) and an offset
 * (0 on hidden columns, 2εβ y on output columns) applied to the unclipped step before its one
 * clip: H ← clip((H · W_M + drive) ⊙ factor + offset).
 */
function runFusedPhase(ops: Operators, drive: tf.Tensor2D[], initial: State, steps: number, clamp?: Clamp): State {
  const driveAll = tf.concat(drive.slice(1), 1) as tf.Tensor2D;
  const nudge = clamp ? clampColumns(ops.layerSizes, clamp, initial[0].shape[0]) : null;
  // Target feedback: its G_l blocks join the matrix (rows of the output layer), its g_l the offset.
  const matrix = nudge?.band ? fusedWithFeedback(ops, nudge.band) : ops.fusedMatrix!;
  let H = tf.concat(initial.slice(1), 1) as tf.Tensor2D;
  for (let k = 0; k < steps; k++) {
    const next = tf.tidy(() => {
      const pre = tf.add(tf.matMul(H, matrix), driveAll);
      // SPEC §2: the nudge acts on the unclipped energy step; one clip follows.
      return tf.clipByValue(nudge ? tf.add(tf.mul(pre, nudge.factor), nudge.offset) : pre, 0, 1) as tf.Tensor2D;
    });
    H.dispose();
    H = next;
  }
  const layers = ops.layerSizes.length === 1 ? [H] : (tf.split(H, ops.layerSizes, 1) as tf.Tensor2D[]);
  if (ops.layerSizes.length > 1) H.dispose();
  tf.dispose([driveAll, ...(nudge ? [nudge.factor, nudge.offset, ...(nudge.band ? [nudge.band] : [])] : [])]);
  if (matrix !== ops.fusedMatrix) matrix.dispose();
  return [initial[0], ...layers];
}

/** The fused matrix plus the feedback band G in the output layer's rows. */
function fusedWithFeedback(ops: Operators, band: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const M = ops.layerSizes.reduce((a, b) => a + b, 0);
    const nOut = ops.layerSizes[ops.layerSizes.length - 1];
    const extra = tf.concat([tf.zeros([M - nOut, M]), band], 0);
    return tf.add(ops.fusedMatrix!, extra) as tf.Tensor2D;
  });
}
