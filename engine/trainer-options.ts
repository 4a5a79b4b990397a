/**
 * How a Trainer runs, as opposed to what it trains (TrainConfig): the step layout, the threads, the
 * block length of the running training error and the phase compilation knobs, each checked when
 * a run starts or resumes.
 */
import { InputError } from '../lib/index.js';
import type { TrainConfig } from './config.js';
import { chooseLayout, type StepLayout } from './dynamics/layout-cost.js';
import { ERROR_BLOCK_BATCHES } from './error-blocks.js';
import type { Network } from './network.js';
import type { PhaseCompileOptions, PhaseRuntimeSetup } from './phase-runtime.js';
import type { CheckpointFingerprint } from './checkpoint-fingerprint.js';

export interface TrainerOptions {
  /**
   * How the step is laid out (engine/dynamics/layout-cost.ts); 'auto' (default) picks the cheaper
   * one for the topology. Layouts differ only by float32 rounding; a checkpoint keeps the layout it ran with.
   */
  layout?: StepLayout | 'auto';
  /**
   * Threads that run the phases (default 1: the main thread only). With t > 1, t − 1 worker
   * threads each take a share of every batch's rows (evaluation: whole batches), or, where the
   * backend has a phase runner of its own, its thread pool has t threads. The numbers do not
   * depend on t beyond float32 rounding (rows are independent during the phases).
   */
  threads?: number;
  /** Batches per block of the running training error (default ERROR_BLOCK_BATCHES); kept in checkpoints. */
  errorBlockBatches?: number;
  /**
   * How a backend that compiles its phases into a graph compiles them (engine/phase-runtime.ts);
   * the other backends ignore it. For measurements (bench/engine.ts); the numbers do not depend on
   * it beyond float32 rounding.
   */
  phaseCompile?: PhaseCompileOptions;
}

export type ResumeOptions = Pick<TrainerOptions, 'threads' | 'phaseCompile'> & {
  /**
   * Carried into the next checkpoints when the one resumed from predates fingerprints (the caller
   * has checked it against the run another way); a checkpoint's own fingerprint wins.
   */
  fingerprint?: CheckpointFingerprint;
};

/** The block length of the running training error: the option, checked, or ERROR_BLOCK_BATCHES. */
export function errorBlockBatches(options: TrainerOptions): number {
  const block = options.errorBlockBatches;
  if (block !== undefined && !(Number.isInteger(block) && block >= 1)) {
    throw new InputError('engine', 'errorBlockBatches', `got ${JSON.stringify(block)}`, 'an integer ≥ 1');
  }
  return block ?? ERROR_BLOCK_BATCHES;
}

/** The layout the run uses: the one asked for, or with 'auto' the cheaper one for `network`. */
export function stepLayout(options: TrainerOptions, network: Network): StepLayout {
  const requested = options.layout ?? 'auto';
  if (!['auto', 'blocks', 'fused'].includes(requested)) {
    throw new InputError('engine', 'layout', `${JSON.stringify(requested)}`, 'auto, blocks or fused');
  }
  return requested === 'auto' ? chooseLayout(network) : requested;
}

export function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new InputError('engine', 'threads', `${threads}`, 'an integer in [1, 64]');
  }
}

/** What the backend registry needs to start the run's phase runtime, the threads checked. */
export function phaseSetup(
  network: Network,
  config: TrainConfig,
  layout: StepLayout,
  options: ResumeOptions,
): PhaseRuntimeSetup {
  checkThreads(options.threads);
  return {
    threads: options.threads ?? 1,
    network,
    epsilon: config.epsilon,
    layout,
    compile: options.phaseCompile ?? {},
  };
}
