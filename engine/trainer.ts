/**
 * Trainer: one EqProp training run (SPEC §2–3) on a compiled topology — weights and biases as
 * tensors, persistent particles for training and evaluation batches, the seeded Rng that draws
 * the sign of β, and the counters that let a checkpoint resume mid-epoch exactly.
 *
 * This module holds the run's state and the epoch loop; each concern it delegates has its own
 * module: the options (trainer-options.ts), what runs the phases (backend-registry.ts), the data's
 * checks and fingerprints (training-data.ts), batches as host arrays (batches.ts), the counters
 * (run-counters.ts), the particle stores (particle-stores.ts), a batch's rows across threads
 * (thread-split.ts), the learning update with symmetric nudging (batch-update.ts), block removal
 * (removal.ts), evaluation (evaluation.ts), and checkpoints (trainer-checkpoint.ts, saved-run.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CompiledTopology } from '../graph/index.js';
import { Rng } from '../graph/index.js';
import { validateTrainConfig, type TrainConfig } from './config.js';
import { buildOperators, disposeOperators } from './dynamics/operators.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import type { PhaseRunnerStats } from './phases.js';
import type { Parameters } from './learning.js';
import { updateFromPhases } from './batch-update.js';
import type { Dataset } from './mnist.js';
import { compiledFromNetwork, networkFromCompiled, type Network } from './network.js';
import { disposeParameters, downloadParameters, uploadParameters } from './parameters.js';
import { ParticleStores } from './particle-stores.js';
import type { ParticleStore } from './particles.js';
import { backendInUse, startPhaseRuntime } from './backend-registry.js';
import type { PhaseRuntime } from './phase-runtime.js';
import { feedbackMatrix } from './feedback.js';
import { applyExtraInit } from './extra-init.js';
import { blocksToRemove, removeBlocks } from './removal.js';
import { checkData, type TrainingData } from './training-data.js';
import { batchCount, batchErrorSum, batchPixels, batchTargets } from './batches.js';
import { batchVisitOrder } from './batch-order.js';
import { blockErrorFractions, freshCounters, nextEpoch, recordBatch, type Counters } from './run-counters.js';
import { splitBatchPhases, type PhaseContext, type PhaseTiming } from './thread-split.js';
import { evaluateOnAllThreads, evaluateOnMainThread } from './evaluation.js';
import { writeTrainerCheckpoint } from './trainer-checkpoint.js';
import { readSavedRun } from './saved-run.js';
import { checkpointFingerprint, type CheckpointFingerprint } from './checkpoint-fingerprint.js';
import {
  errorBlockBatches,
  phaseSetup,
  stepLayout,
  type ResumeOptions,
  type TrainerOptions,
} from './trainer-options.js';
import type { EpochHooks, EpochOutcome } from './epoch-hooks.js';

/** A training batch's error sum (engine/batches.ts), its eq. 2 rates when asked, and its mean free steps per row. */
type BatchOutcome = { errors: number; rates: Float32Array | null; meanFreeSteps: number };

export class Trainer {
  private readonly rng: Rng;
  private readonly stores: ParticleStores;
  private params: Parameters;
  /** Target feedback B (engine/feedback.ts), fixed for the run; null without it. */
  private readonly feedback: Float32Array | null;
  /**
   * Where the last split batch's phase time went (threads > 1): the main thread's share, its wait
   * for the workers after that, and each worker's own phases and weight intake. For bench/engine.ts.
   */
  lastPhaseTiming: PhaseTiming | null = null;

  private constructor(
    private readonly template: CompiledTopology,
    private readonly network: Network,
    readonly config: TrainConfig,
    private readonly data: TrainingData,
    private counters: Counters,
    readonly backend: string,
    /** The step layout in use (engine/dynamics/layout-cost.ts). */
    readonly layout: StepLayout,
    /** What runs the phases, from the backend registry. */
    private readonly runtime: PhaseRuntime,
    /** What the run was started on, written into every checkpoint (engine/checkpoint-fingerprint.ts). */
    private readonly fingerprint: CheckpointFingerprint | null,
  ) {
    this.rng = new Rng(config.seed);
    this.feedback = feedbackMatrix(network, config.targetFeedback, config.seed);
    this.params = uploadParameters(network);
    this.stores = new ParticleStores(config.batchSize, network.sizes);
    this.stores.set('train', this.stores.fresh(data.train));
    this.stores.set('eval', this.stores.fresh(data.eval));
  }

  /** A fresh run: particles at zeros, counters at zero, the Rng seeded from config.seed. */
  static async create(
    compiled: CompiledTopology,
    config: TrainConfig,
    data: TrainingData,
    options: TrainerOptions = {},
  ): Promise<Trainer> {
    validateTrainConfig(config, compiled.sizes.length - 1);
    checkData(compiled, config, data);
    const blockBatches = errorBlockBatches(options);
    const backend = await backendInUse();
    const counters = freshCounters(blockBatches);
    const network = networkFromCompiled(compiled);
    applyExtraInit(network, config.extraInit, config.seed);
    const layout = stepLayout(options, network);
    const own = { ...config, learningRates: [...config.learningRates] };
    const runtime = await startPhaseRuntime(backend, phaseSetup(network, own, layout, options));
    const fingerprint = checkpointFingerprint(compiled, own);
    const trainer = new Trainer(compiled, network, own, data, counters, backend, layout, runtime, fingerprint);
    runtime.setParameters(trainer.params);
    return trainer;
  }

  /** Continues the run saved at `path` exactly where it stopped; `data` must be the same data. */
  static async resume(path: string, data: TrainingData, options: ResumeOptions = {}): Promise<Trainer> {
    const saved = readSavedRun(path, data, options.threads);
    const { compiled, config, layout } = saved;
    const backend = await backendInUse();
    const network = networkFromCompiled(compiled);
    const runtime = await startPhaseRuntime(backend, phaseSetup(network, config, layout, options));
    const fingerprint = saved.fingerprint ?? options.fingerprint ?? null;
    const trainer = new Trainer(compiled, network, config, data, saved.counters, backend, layout, runtime, fingerprint);
    trainer.rng.setState(saved.rng);
    for (const [name, store] of saved.stores) trainer.stores.set(name, store);
    runtime.setParameters(trainer.params);
    return trainer;
  }

  /** Threads running the phases. */
  get threads(): number {
    return this.runtime.threads;
  }

  /** Completed epochs. */
  get epoch(): number {
    return this.counters.epoch;
  }

  /** Training batches done since the start of the run. */
  get globalBatch(): number {
    return this.counters.globalBatch;
  }

  get trainBatches(): number {
    return batchCount(this.data.train, this.config.batchSize);
  }

  /** A copy of the stored free state of batch i of a particle store ('train', 'eval', or an evaluate() key). */
  particles(name: string, batch: number): Float32Array {
    return this.stores.copy(name, batch);
  }

  /** The network, its current parameters and the threads, as the phase helpers take them (params change per batch). */
  private get phaseContext(): PhaseContext {
    const { network, params, config, layout } = this;
    const { pool, runner, rowAlignment } = this.runtime;
    return { network, params, config, layout, pool, runner, rowAlignment };
  }

  /** One training batch: free phase, weakly-clamped phase(s), update. */
  private async trainBatch(i: number, wantRates: boolean): Promise<BatchOutcome> {
    const { config, network } = this;
    const B = config.batchSize,
      M = network.N - network.sizes[0],
      nOut = network.sizes[network.K];
    if (config.randomBetaSign && this.rng.next() < 0.5) this.counters.betaSign = -this.counters.betaSign;
    const betaSigned = config.beta * this.counters.betaSign;
    const x = batchPixels(this.data.train, i, B);
    const store = this.stores.get('train');
    const ops = buildOperators(network, this.params.weights, config.epsilon, this.layout);
    const { result, timing } = await splitBatchPhases(this.phaseContext, ops, {
      x,
      initial: store.data.subarray(i * B * M, (i + 1) * B * M),
      target: batchTargets(this.data.train, i, B, nOut),
      betaSigned,
      freeSteps: config.freeSteps,
      clampedSteps: config.clampedSteps,
      adaptive: config.adaptive ?? null,
      mirror: config.symmetricNudging === true,
      feedback: this.feedback,
    });
    if (timing) this.lastPhaseTiming = timing;
    disposeOperators(ops);
    store.data.set(result.free, i * B * M);
    const errors = batchErrorSum(result.free, this.data.train, i, B, M, nOut);
    const update = updateFromPhases(network, this.params, x, result, betaSigned, config, wantRates);
    tf.dispose([...this.params.weights, ...this.params.biases]);
    this.params = { ...this.params, weights: update.weights, biases: update.biases };
    this.runtime.setParameters(this.params);
    return { errors, rates: update.rates, meanFreeSteps: result.freeStepsSum / B };
  }

  /** The particle store for evaluating `d`: the evaluation set's own, else `particles` (default 'test'). */
  private storeFor(d: Dataset, particles?: string): ParticleStore {
    return this.stores.forDataset(particles ?? (d === this.data.eval ? 'eval' : 'test'), d);
  }

  /**
   * Error of the current network on a dataset, free phase only (SPEC §3), on the main thread
   * (synchronous, so on tfjs even where the backend has a phase runner: same numbers to float32
   * rounding; evaluateParallel uses the runner). The evaluation set uses its persistent particles;
   * any other dataset gets its own persistent store under `particles` (default 'test'), created at
   * zeros the first time.
   */
  evaluate(d: Dataset, particles?: string): number {
    return evaluateOnMainThread(this.phaseContext, d, this.storeFor(d, particles));
  }

  /**
   * Error on `d` with the paper's fixed free phase (config.freeSteps steps) even when the run trains
   * with the adaptive rule: separates what the rule does to training from what it does to
   * evaluation. Its own persistent particles under `particles` (default 'fixed-steps'), zeros at first.
   */
  evaluateFixedSteps(d: Dataset, particles = 'fixed-steps'): Promise<number> {
    const ctx = { ...this.phaseContext, config: { ...this.config, adaptive: null } };
    return evaluateOnAllThreads(ctx, d, this.storeFor(d, particles));
  }

  /**
   * evaluate(), with the batches spread over the phase workers (same numbers); with a phase runner,
   * `batchesPerRun` batches at a time as one run (default EVAL_BATCHES_PER_RUN).
   */
  evaluateParallel(d: Dataset, particles?: string, batchesPerRun?: number): Promise<number> {
    return evaluateOnAllThreads(this.phaseContext, d, this.storeFor(d, particles), batchesPerRun);
  }

  /** The phase runner's counters (sessions compiled, runs, milliseconds in each), or null without one. For benches. */
  get phaseRuntimeStats(): PhaseRunnerStats | null {
    return this.runtime.stats();
  }

  /** Trains the rest of the current epoch (all of it, or what is left after a resume), then evaluates. */
  async trainEpoch(hooks: EpochHooks = {}): Promise<EpochOutcome> {
    const { config } = this;
    const c = this.counters;
    const batches = this.trainBatches;
    const epochNumber = c.epoch + 1;
    const progress = () => ({
      epoch: epochNumber,
      trainError: c.epochErrors / Math.max(1, c.epochExamples),
      meanFreeSteps: c.epochFreeSteps / Math.max(1, c.epochExamples / config.batchSize),
      blockErrors: blockErrorFractions(c, batches, config.batchSize),
    });
    const removed = blocksToRemove(this.network, config, c.epoch);
    if (removed.length > 0) {
      removeBlocks(this.network, this.params, removed);
      this.runtime.setParameters(this.params);
    }
    // Position i of the epoch trains batch visit[i] (the identity in the paper's fixed order).
    const visit = batchVisitOrder(batches, config.batchOrder);
    for (let i = c.batchInEpoch; i < batches; i++) {
      const started = performance.now();
      const wantRates = config.rateEvery > 0 && c.globalBatch % config.rateEvery === 0;
      const { errors, rates, meanFreeSteps } = await this.trainBatch(visit[i], wantRates);
      const globalIndex = c.globalBatch;
      recordBatch(c, i, errors, config.batchSize, meanFreeSteps);
      c.epochElapsedMs += performance.now() - started;
      hooks.onBatch?.({ epoch: epochNumber, batch: i + 1, batches, trainErrorSoFar: c.epochErrors / c.epochExamples });
      if (rates && hooks.onRates) hooks.onRates([...rates].map((rate, pair) => ({ batch: globalIndex, pair, rate })));
      const stop = hooks.shouldStop?.() ?? false;
      const due = config.checkpointEvery > 0 && c.globalBatch % config.checkpointEvery === 0;
      if (hooks.checkpointPath && (stop || due)) this.saveCheckpoint(hooks.checkpointPath);
      if (stop) return { ...progress(), evalError: NaN, durationMs: c.epochElapsedMs, stopped: true };
      // Yield to the event loop between batches so servers and signal handlers stay responsive.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const started = performance.now();
    const evalError = await evaluateOnAllThreads(this.phaseContext, this.data.eval, this.stores.get('eval'));
    c.epochElapsedMs += performance.now() - started;
    const outcome: EpochOutcome = { ...progress(), evalError, durationMs: c.epochElapsedMs, stopped: false };
    this.counters = nextEpoch(c);
    if (hooks.checkpointPath) this.saveCheckpoint(hooks.checkpointPath);
    return outcome;
  }

  /** The topology with the current weights and biases (for stores, exports, or a new run). */
  exportCompiled(): CompiledTopology {
    downloadParameters(this.params, this.network);
    return compiledFromNetwork(this.network, this.template);
  }

  /** Writes everything the run needs to continue exactly (engine/trainer-checkpoint.ts says what). */
  saveCheckpoint(path: string): void {
    writeTrainerCheckpoint(path, {
      compiled: this.exportCompiled(),
      particleStores: this.stores.byName,
      config: this.config,
      counters: this.counters,
      rng: this.rng.getState(),
      backend: this.backend,
      layout: this.layout,
      data: this.data,
      fingerprint: this.fingerprint,
    });
  }

  /** Frees every tensor the trainer holds and stops its phase workers. */
  dispose(): void {
    disposeParameters(this.params);
    this.params = { weights: [], masks: [], biases: [] };
    this.runtime.dispose();
  }
}
