/**
 * What runs a training run's phases: the threads and, where the backend has one, a phase runner of
 * its own. engine/backend-registry.ts builds one for the backend in use; the trainer, the thread
 * split (engine/thread-split.ts) and evaluation (engine/evaluation.ts) use it without knowing
 * which backend that is.
 */
import type { Network } from './network.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import type { PhaseParameters, PhaseRunner, PhaseRunnerStats } from './phases.js';
import type { WorkerPool } from './worker-pool.js';

export interface PhaseRuntime {
  /** Threads that run the phases. */
  readonly threads: number;
  /** Phase workers that take a share of every batch's rows (engine/worker-pool.ts), or null. */
  readonly pool: WorkerPool | null;
  /** A runner that takes whole requests onto threads of its own, or null: the phases run on tfjs. */
  readonly runner: PhaseRunner | null;
  /** Rows the backend's matrix product handles at a time (engine/row-split.ts). */
  readonly rowAlignment: number;
  /** Hands the current weights and biases to the threads that keep a copy of them (after every change). */
  setParameters(params: PhaseParameters): void;
  /** A copy of the runner's counters, or null where there is no runner. For benches. */
  stats(): PhaseRunnerStats | null;
  /** Stops the phase workers and frees the runner; later calls do nothing. */
  dispose(): void;
}

/** What a run tells the registry when it starts its phase runtime. */
export interface PhaseRuntimeSetup {
  /** Threads asked for (TrainerOptions.threads, checked to be an integer in [1, 64]). */
  threads: number;
  /** The network as the run starts it (workers take a copy of its structure). */
  network: Network;
  epsilon: number;
  layout: StepLayout;
  /** How a backend that compiles its phases into a graph compiles them; the others ignore it. */
  compile: PhaseCompileOptions;
}

/**
 * How a backend that compiles the phases (BACKEND_TRAITS phases 'ort') compiles them: the step
 * matrices baked into each compiled session ('initializers', the default) or fed per run
 * ('inputs'), and steps per loop iteration. Measurement knobs (bench/engine.ts): the numbers do
 * not depend on them beyond float32 rounding.
 */
export interface PhaseCompileOptions {
  weights?: 'initializers' | 'inputs';
  unroll?: number;
}
