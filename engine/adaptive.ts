/**
 * Adaptive free phase (beyond the paper; off unless TrainConfig.adaptive is set). The discrete
 * dynamics settle slowly: mean |Δs| is tiny long before the fixed 500 steps end, while a few
 * neurons keep a slowly decaying two-step oscillation (so a max |Δs| rule would never stop).
 *
 * Rule, per example (row), checked every `every` steps from `minSteps` on: the row is settled when
 * for `window` consecutive checks its mean |Δs| over the non-input neurons (last step) is below
 * `tolerance` and its predicted class has not changed. A settled row keeps the state it had then
 * and leaves the computation; the phase ends when every row has settled, or at the hard cap
 * (freeSteps). Decisions are per row, so splitting a batch's rows across threads changes nothing.
 */
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../lib/index.js';

export interface AdaptiveFreePhase {
  every: number;
  tolerance: number;
  window: number;
  minSteps: number;
}

/**
 * Defaults from a small study only (README "## Engine"): check every 10 steps from step 50;
 * settled after 5 checks below 1e-6.
 */
export const DEFAULT_ADAPTIVE: AdaptiveFreePhase = Object.freeze({
  every: 10,
  tolerance: 1e-6,
  window: 5,
  minSteps: 50,
});

export function validateAdaptive(rule: AdaptiveFreePhase): void {
  const bad = (field: string, expected: string) =>
    new InputError(
      'engine',
      `adaptive.${field}`,
      `got ${JSON.stringify((rule as unknown as Record<string, unknown>)[field])}`,
      expected,
    );
  if (!Number.isInteger(rule.every) || rule.every < 1) throw bad('every', 'an integer ≥ 1');
  if (!(Number.isFinite(rule.tolerance) && rule.tolerance >= 0)) throw bad('tolerance', 'a number ≥ 0');
  if (!Number.isInteger(rule.window) || rule.window < 1) throw bad('window', 'an integer ≥ 1');
  if (!Number.isInteger(rule.minSteps) || rule.minSteps < 0) throw bad('minSteps', 'an integer ≥ 0');
}

/** What the settling loop needs from a state layout (engine/dynamics/adaptive-phase.ts provides both). */
export interface Iteration<S extends tf.TensorContainer> {
  rows: number;
  /** Values per row of the flattened state (the non-input neurons). */
  width: number;
  /** One step (called inside tf.tidy). */
  step(s: S): S;
  dispose(s: S): void;
  /** Per-row mean |next − prev| over the non-input neurons (inside tf.tidy). */
  rowDelta(prev: S, next: S): tf.Tensor1D;
  /** Per-row predicted class (inside tf.tidy). */
  prediction(s: S): tf.Tensor1D;
  /** The given rows of a state (inside tf.tidy). */
  gather(s: S, rows: tf.Tensor1D): S;
  /** The state as one rows × width matrix (inside tf.tidy). */
  flat(s: S): tf.Tensor2D;
  /** Keeps only the given rows of the per-row constants (the input drive) from now on. */
  compact(rows: tf.Tensor1D): void;
}

/**
 * Runs up to `cap` steps from `initial` (left to the caller) under the rule. Settled rows are
 * copied out and dropped from the computation (rows are independent, so the others' numbers do
 * not change): the work done follows the mean number of steps, not the slowest row.
 * Returns the final states (rows × width, host) and the steps each row used.
 */
export function settle<S extends tf.TensorContainer>(
  it: Iteration<S>,
  initial: S,
  cap: number,
  rule: AdaptiveFreePhase,
): { final: Float32Array; steps: Int32Array } {
  const final = new Float32Array(it.rows * it.width);
  const steps = new Int32Array(it.rows).fill(cap);
  const stable = new Int32Array(it.rows);
  const previous = new Int32Array(it.rows).fill(-1);
  /** Original row id of each row of the current state. */
  let active = Array.from({ length: it.rows }, (_, r) => r);
  let state = initial;
  const copyOut = (s: S, local: number[]) => {
    const values = tf.tidy(() =>
      it.flat(local.length === active.length ? s : it.gather(s, tf.tensor1d(local, 'int32'))),
    );
    const data = values.dataSync();
    values.dispose();
    for (const [k, l] of local.entries())
      final.set(data.subarray(k * it.width, (k + 1) * it.width), active[l] * it.width);
  };
  for (let k = 1; k <= cap; k++) {
    let next = tf.tidy(() => it.step(state));
    if (k >= rule.minSteps && k % rule.every === 0) {
      const [deltaT, predT] = tf.tidy(() => [it.rowDelta(state, next), it.prediction(next)]);
      const delta = deltaT.dataSync(),
        prediction = predT.dataSync();
      tf.dispose([deltaT, predT]);
      const settled: number[] = [],
        remaining: number[] = [];
      active.forEach((id, l) => {
        stable[id] = delta[l] < rule.tolerance && prediction[l] === previous[id] ? stable[id] + 1 : 0;
        previous[id] = prediction[l];
        if (stable[id] >= rule.window) {
          steps[id] = k;
          settled.push(l);
        } else remaining.push(l);
      });
      if (settled.length > 0) {
        copyOut(next, settled);
        if (remaining.length === 0) {
          it.dispose(next);
          if (state !== initial) it.dispose(state);
          return { final, steps };
        }
        const keep = tf.tensor1d(remaining, 'int32');
        const compacted = tf.tidy(() => it.gather(next, keep));
        it.compact(keep);
        keep.dispose();
        it.dispose(next);
        next = compacted;
        active = remaining.map((l) => active[l]);
      }
    }
    if (state !== initial) it.dispose(state);
    state = next;
  }
  copyOut(
    state,
    active.map((_, l) => l),
  );
  if (state !== initial) it.dispose(state);
  return { final, steps };
}
