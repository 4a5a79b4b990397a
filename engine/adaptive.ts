/**
 * Adaptive free phase (beyond the paper; off unless TrainConfig.adaptive is set). The discrete
 * dynamics settle slowly: mean |Δs| is tiny long before the fixed 500 steps end, while a few
 * neurons keep a slowly decaying two-step oscillation (so a max |Δs| rule would never stop).
 *
 * Rule, per example (row), checked every `every` steps from `minSteps` on: the row is settled when
 * for `window` consecutive checks its mean |Δs| over the non-input neurons (last step) is below
 * `tolerance` and its predicted class has not changed. A settled row is frozen (its state no
 * longer changes); the phase ends when every row has settled, or at the hard cap (freeSteps).
 * Decisions are per row, so splitting a batch's rows across threads changes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../graph/errors.js';

export interface AdaptiveFreePhase {
  every: number;
  tolerance: number;
  window: number;
  minSteps: number;
}

/** Unstudied defaults (see README "## Engine"): check every 10 steps from step 50, 3 checks below 1e-5. */
export const DEFAULT_ADAPTIVE: AdaptiveFreePhase = Object.freeze({ every: 10, tolerance: 1e-5, window: 3, minSteps: 50 });

export function validateAdaptive(rule: AdaptiveFreePhase): void {
  const bad = (field: string, expected: string) => new InputError('engine', `adaptive.${field}`, `got ${JSON.stringify((rule as unknown as Record<string, unknown>)[field])}`, expected);
  if (!Number.isInteger(rule.every) || rule.every < 1) throw bad('every', 'an integer ≥ 1');
  if (!(Number.isFinite(rule.tolerance) && rule.tolerance >= 0)) throw bad('tolerance', 'a number ≥ 0');
  if (!Number.isInteger(rule.window) || rule.window < 1) throw bad('window', 'an integer ≥ 1');
  if (!Number.isInteger(rule.minSteps) || rule.minSteps < 0) throw bad('minSteps', 'an integer ≥ 0');
}

/** What the settling loop needs from a state layout (engine/dynamics.ts provides both). */
export interface Iteration<S extends tf.TensorContainer> {
  rows: number;
  /** One step (called inside tf.tidy). */
  step(s: S): S;
  dispose(s: S): void;
  /** Per-row mean |next − prev| over the non-input neurons (inside tf.tidy). */
  rowDelta(prev: S, next: S): tf.Tensor1D;
  /** Per-row predicted class (inside tf.tidy). */
  prediction(s: S): tf.Tensor1D;
  /** Rows where done (rows × 1, bool) is true from `frozen`, the others from `fresh` (inside tf.tidy). */
  select(done: tf.Tensor2D, frozen: S, fresh: S): S;
}

/** Runs up to `cap` steps from `initial` (left to the caller) under the rule; steps used per row. */
export function settle<S extends tf.TensorContainer>(it: Iteration<S>, initial: S, cap: number, rule: AdaptiveFreePhase): { state: S; steps: Int32Array } {
  const steps = new Int32Array(it.rows).fill(cap);
  const stable = new Int32Array(it.rows);
  const done = new Uint8Array(it.rows);
  let doneCount = 0;
  let doneMask: tf.Tensor2D | null = null;
  let previous: Int32Array | null = null;
  let state = initial;
  for (let k = 1; k <= cap; k++) {
    const mask = doneMask;
    const next = tf.tidy(() => (mask ? it.select(mask, state, it.step(state)) : it.step(state)));
    if (k >= rule.minSteps && k % rule.every === 0) {
      const [deltaT, predT] = tf.tidy(() => [it.rowDelta(state, next), it.prediction(next)]);
      const delta = deltaT.dataSync(), prediction = Int32Array.from(predT.dataSync());
      tf.dispose([deltaT, predT]);
      let changed = false;
      for (let r = 0; r < it.rows; r++) {
        if (done[r]) continue;
        stable[r] = delta[r] < rule.tolerance && previous !== null && prediction[r] === previous[r] ? stable[r] + 1 : 0;
        if (stable[r] >= rule.window) {
          done[r] = 1;
          steps[r] = k;
          doneCount++;
          changed = true;
        }
      }
      previous = prediction;
      if (changed) {
        doneMask?.dispose();
        doneMask = tf.tensor2d(done, [it.rows, 1], 'bool');
      }
    }
    if (state !== initial) it.dispose(state);
    state = next;
    if (doneCount === it.rows) break;
  }
  doneMask?.dispose();
  return { state, steps };
}
