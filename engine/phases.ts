/**
 * The two phases of one batch (or of some rows of it) from host arrays to host arrays: the unit of
 * work that the main thread and the phase workers (engine/phase-worker.ts) share. Rows of a batch
 * are independent during the phases (only the learning update couples them), so splitting a
 * batch by rows across threads computes the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import { buildDrive, type Operators } from './dynamics/operators.js';
import { disposeClamp, makeClamp } from './dynamics/clamp.js';
import { disposeState, runPhase, type State } from './dynamics/step.js';
import { runAdaptiveFreePhase } from './dynamics/adaptive-phase.js';
import type { AdaptiveFreePhase } from './adaptive.js';

export interface PhaseRequest {
  /** rows × n_0 input pixels. */
  x: Float32Array;
  /** rows × M initial state of the non-input neurons (the particle). */
  initial: Float32Array;
  /** rows × n_K one-hot targets; null = free phase only (evaluation). */
  target: Float32Array | null;
  betaSigned: number;
  /** Symmetric nudging: also a weakly-clamped phase at −betaSigned from the same free state. */
  mirror: boolean;
  /** Target feedback B, n_K × M (engine/feedback.ts), or null for none. */
  feedback: Float32Array | null;
  /** Free-phase steps, or the cap when `adaptive` is set. */
  freeSteps: number;
  clampedSteps: number;
  adaptive: AdaptiveFreePhase | null;
}

export interface PhaseResult {
  /** rows × M free equilibrium. */
  free: Float32Array;
  /** rows × M weakly-clamped state, or null for a free phase only. */
  clamped: Float32Array | null;
  /** rows × M state of the phase at −betaSigned (request.mirror), else null. */
  clampedMirror: Float32Array | null;
  /** Free-phase steps summed over the rows. */
  freeStepsSum: number;
  /**
   * Phase workers only: milliseconds the worker spent on the phases and on taking in the weights
   * that preceded them (bench/engine.ts prints them).
   */
  timing?: { phasesMs: number; weightsMs: number };
}

/**
 * A phase runtime other than tfjs (engine/onnx/ort-phases.ts): runs a whole request on its own
 * threads, asynchronously, with runPhases' contract.
 */
export interface PhaseRunner {
  /** Threads it computes on. */
  readonly threads: number;
  /** What its work has cost so far. For benches. */
  readonly stats: PhaseRunnerStats;
  run(
    network: Network,
    params: PhaseParameters,
    ops: Operators,
    epsilon: number,
    request: PhaseRequest,
  ): Promise<PhaseResult>;
  dispose(): void;
}

/**
 * A phase runner's counters: sessions compiled and runs, with the wall milliseconds spent in each
 * and the process CPU milliseconds (all threads; on a loaded machine the better measure of the work).
 */
export type PhaseRunnerStats = {
  sessions: number;
  sessionMs: number;
  sessionCpuMs: number;
  runs: number;
  runMs: number;
  runCpuMs: number;
};

/** Tensor parameters the phases read (a subset of learning.ts Parameters). */
export interface PhaseParameters {
  weights: tf.Tensor2D[];
  biases: tf.Tensor1D[];
}

/**
 * Uploads rows × M host states (every layer after the input, side by side per row) as a State
 * with x as layer 0. The one host-array → per-layer conversion (the trainer's update uses it too).
 */
export function toState(network: Network, x: tf.Tensor2D, flat: Float32Array): State {
  const rows = x.shape[0];
  return tf.tidy(() => {
    const all = tf.tensor2d(flat, [rows, network.N - network.sizes[0]]);
    return [x, ...(network.K === 1 ? [all] : (tf.split(all, network.sizes.slice(1), 1) as tf.Tensor2D[]))];
  });
}

function download(state: State): Float32Array {
  const flat = tf.tidy(() => (state.length === 2 ? tf.clone(state[1]) : tf.concat(state.slice(1), 1)));
  const data = flat.dataSync() as Float32Array;
  flat.dispose();
  return data;
}

/** Runs the phases for the rows of `request`; `ops` were built from the same parameters (buildOperators). */
export function runPhases(
  network: Network,
  params: PhaseParameters,
  ops: Operators,
  epsilon: number,
  request: PhaseRequest,
): PhaseResult {
  const rows = request.x.length / network.sizes[0];
  const x = tf.tensor2d(request.x, [rows, network.sizes[0]]);
  const drive = buildDrive(network, params.weights, params.biases, x, epsilon);
  const initial = toState(network, x, request.initial);
  let free: State, freeStepsSum: number, freeHost: Float32Array;
  if (request.adaptive) {
    const settled = runAdaptiveFreePhase(ops, drive, initial, request.freeSteps, request.adaptive);
    freeHost = settled.final;
    freeStepsSum = settled.steps.reduce((a, b) => a + b, 0);
    free = request.target ? toState(network, x, freeHost) : [];
  } else {
    free = runPhase(ops, drive, initial, request.freeSteps);
    freeStepsSum = rows * request.freeSteps;
    freeHost = download(free);
  }
  disposeState(initial);
  const result: PhaseResult = { free: freeHost, clamped: null, clampedMirror: null, freeStepsSum };
  if (request.target) {
    const y = tf.tensor2d(request.target, [rows, network.sizes[network.K]]);
    const clampedPhase = (betaSigned: number) => {
      const clamp = makeClamp(y, epsilon, betaSigned, network.sizes.slice(1), request.feedback);
      const clamped = runPhase(ops, drive, free, request.clampedSteps, clamp);
      const host = download(clamped);
      disposeState(clamped);
      disposeClamp(clamp);
      return host;
    };
    result.clamped = clampedPhase(request.betaSigned);
    if (request.mirror) result.clampedMirror = clampedPhase(-request.betaSigned);
    y.dispose();
  }
  disposeState(free);
  tf.dispose([...drive, x]);
  return result;
}
