/**
 * The adaptive free phase (engine/adaptive.ts has the rule and the settling loop) in either layout
 * of the step: what the loop needs from a state, the fused H or the per-layer State.
 */
import * as tf from '@tensorflow/tfjs-core';
import { settle, type AdaptiveFreePhase, type Iteration } from '../adaptive.js';
import type { Operators } from './operators.js';
import { disposeState, step, type State } from './step.js';

/**
 * A free phase under the adaptive rule (engine/adaptive.ts): up to `cap` steps, rows leaving the
 * computation as they settle. Returns the final free states (rows × M, host) and the steps each
 * row used.
 */
export function runAdaptiveFreePhase(
  ops: Operators,
  drive: tf.Tensor2D[],
  initial: State,
  cap: number,
  rule: AdaptiveFreePhase,
): { final: Float32Array; steps: Int32Array } {
  const rows = initial[0].shape[0];
  const M = ops.layerSizes.reduce((a, b) => a + b, 0);
  const K = ops.layerSizes.length;
  const nOut = ops.layerSizes[K - 1];
  if (ops.layout === 'fused') {
    let driveAll = tf.concat(drive.slice(1), 1) as tf.Tensor2D;
    const H0 = tf.concat(initial.slice(1), 1) as tf.Tensor2D;
    const it: Iteration<tf.Tensor2D> = {
      rows,
      width: M,
      step: (H) => tf.clipByValue(tf.add(tf.matMul(H, ops.fusedMatrix!), driveAll), 0, 1) as tf.Tensor2D,
      dispose: (H) => H.dispose(),
      rowDelta: (a, b) => tf.mean(tf.abs(tf.sub(b, a)), 1) as tf.Tensor1D,
      prediction: (H) => tf.argMax(tf.slice(H, [0, M - nOut], [H.shape[0], nOut]), 1) as tf.Tensor1D,
      gather: (H, idx) => tf.gather(H, idx) as tf.Tensor2D,
      flat: (H) => H,
      compact: (idx) => {
        const kept = tf.gather(driveAll, idx) as tf.Tensor2D;
        driveAll.dispose();
        driveAll = kept;
      },
    };
    const result = settle(it, H0, cap, rule);
    tf.dispose([driveAll, H0]);
    return result;
  }
  let rowDrive = drive.map((d, l) => (l === 0 ? d : tf.clone(d)));
  const it: Iteration<State> = {
    rows,
    width: M,
    step: (s) => step(ops, rowDrive, s),
    dispose: disposeState,
    rowDelta: (a, b) =>
      tf.div(tf.addN(a.slice(1).map((layer, i) => tf.sum(tf.abs(tf.sub(b[i + 1], layer)), 1))), M) as tf.Tensor1D,
    prediction: (s) => tf.argMax(s[K], 1) as tf.Tensor1D,
    // Layer 0 (the input) is not read by the recurrent step (its drive is), so it is not gathered.
    gather: (s, idx) => [s[0], ...s.slice(1).map((layer) => tf.gather(layer, idx) as tf.Tensor2D)],
    flat: (s) => (K === 1 ? s[1] : (tf.concat(s.slice(1), 1) as tf.Tensor2D)),
    compact: (idx) => {
      const kept = rowDrive.map((d, l) => (l === 0 ? d : (tf.gather(d, idx) as tf.Tensor2D)));
      tf.dispose(rowDrive.slice(1));
      rowDrive = kept;
    },
  };
  const result = settle(it, initial, cap, rule);
  tf.dispose(rowDrive.slice(1));
  return result;
}
