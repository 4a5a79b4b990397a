/**
 * Trainer: one EqProp training run (SPEC §2–3) on a compiled topology — weights and biases as
 * tensors, persistent particles for training and evaluation batches, the seeded Rng that draws
 * the sign of β, and the counters that let a checkpoint resume mid-epoch exactly.
 *
 * This module holds the run's state and the epoch loop; each concern it delegates has its own
 * module: the data's checks and fingerprints (training-data.ts), batches as host arrays
 * (batches.ts), the counters (run-counters.ts), a batch's rows across threads (thread-split.ts),
 * evaluation (evaluation.ts), and what a checkpoint holds (trainer-checkpoint.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CompiledTopology } from '../graph/types.js';
import { InputError } from '../graph/errors.js';
import { Rng } from '../graph/rng.js';
import type { RatePoint } from './rates.js';
import { validateTrainConfig, type TrainConfig } from './config.js';
import { buildOperators, chooseLayout, disposeOperators, disposeState, type StepLayout } from './dynamics.js';
import { toState } from './phases.js';
import { WorkerPool } from './worker-pool.js';
import { learningUpdate, type Parameters } from './learning.js';
import type { Dataset } from './mnist.js';
import { compiledFromNetwork, networkFromCompiled, type Network } from './network.js';
import { ParticleStore } from './particles.js';
import { backendTraits, currentBackend, initBackend, type BackendName } from './backend.js';
import type { PhaseRunner } from './phases.js';
import { OrtPhaseRunner, type OrtPhaseOptions } from './onnx/ort-phases.js';
import { ERROR_BLOCK_BATCHES } from './error-blocks.js';
import { feedbackMatrix } from './feedback.js';
import { applyExtraInit } from './extra-init.js';
import { blocksToRemove } from './removal.js';
import { checkData, checkSameData, type TrainingData } from './training-data.js';
import { batchCount, batchErrorSum, batchPixels, batchTargets } from './batches.js';
import { batchVisitOrder } from './batch-order.js';
import { blockErrorFractions, freshCounters, nextEpoch, recordBatch, type Counters } from './run-counters.js';
import { splitBatchPhases, type PhaseContext, type PhaseTiming } from './thread-split.js';
import { evaluateOnAllThreads, evaluateOnMainThread } from './evaluation.js';
import {
  compiledFromCheckpoint,
  countersFromCheckpoint,
  particleStoresFromCheckpoint,
  readTrainerCheckpoint,
  writeTrainerCheckpoint,
} from './trainer-checkpoint.js';
import { checkpointFingerprint, type CheckpointFingerprint } from './checkpoint-fingerprint.js';

export type { TrainingData };

export interface TrainerOptions {
  /**
   * How the step is laid out (engine/dynamics.ts); 'auto' (default) picks the cheaper one for the
   * topology. Layouts differ only by float32 rounding; a checkpoint keeps the layout it ran with.
   */
  layout?: StepLayout | 'auto';
  /**
   * Threads that run the phases (default 1: the main thread only). With t > 1, t − 1 worker
   * threads each take a share of every batch's rows (evaluation: whole batches). The numbers do
   * not depend on t beyond float32 rounding (rows are independent during the phases).
   */
  threads?: number;
  /** Batches per block of the running training error (default ERROR_BLOCK_BATCHES); kept in checkpoints. */
  errorBlockBatches?: number;
  /**
   * onnxruntime backend only: how the phases are compiled (engine/onnx/ort-phases.ts): the step
   * matrices baked into a new session per set of weights (default: ORT pre-packs them) or fed per
   * run, and steps per Loop iteration. For measurements (bench/engine.ts); the numbers do not
   * depend on them beyond float32 rounding.
   */
  onnx?: OrtPhaseOptions;
}

export interface BatchProgress {
  /** 1-based epoch being trained. */
  epoch: number;
  /** Batches of this epoch done so far (1-based). */
  batch: number;
  batches: number;
  /** Training error so far in this epoch (fraction of examples; regression: mean squared error). */
  trainErrorSoFar: number;
}

export interface EpochHooks {
  onBatch?(progress: BatchProgress): void;
  /** Eq. 2 rates of the batches that recorded them (every config.rateEvery batches). */
  onRates?(points: RatePoint[]): void;
  /** Where checkpoints go (every config.checkpointEvery batches, at a stop, and at epoch end). */
  checkpointPath?: string;
  /** Asked after every batch; true ends the epoch early (after writing a checkpoint, if a path is given). */
  shouldStop?(): boolean;
}

export interface EpochOutcome {
  /** 1-based epoch number. */
  epoch: number;
  trainError: number;
  /** NaN when stopped before the epoch ended. */
  evalError: number;
  durationMs: number;
  meanFreeSteps: number;
  /** True when shouldStop ended the epoch early; trainEpoch() continues it. */
  stopped: boolean;
  /**
   * Training error within each block of ERROR_BLOCK_BATCHES batches of the epoch, in order (the last
   * block may be shorter); null when the epoch was resumed from a checkpoint that did not count them.
   */
  blockErrors: number[] | null;
}

export { ERROR_BLOCK_BATCHES };

export class Trainer {
  private readonly rng: Rng;
  private readonly particleStores = new Map<string, ParticleStore>();
  private params: Parameters;
  private pool: WorkerPool | null = null;
  /** The phase runtime when the backend's phases are not tfjs (ORT), else null. */
  private runner: PhaseRunner | null = null;
  /** Target feedback B (engine/feedback.ts), fixed for the run; null without it. */
  private readonly feedback: Float32Array | null;
  /**
   * Where the last split batch's phase time went (threads > 1): the main thread's share, its wait
   * for the workers after that, and each worker's own phases and weight intake. For bench/engine.ts.
   */
  lastPhaseTiming: PhaseTiming | null = null;
  /** What the run was started on, written into every checkpoint (engine/checkpoint-fingerprint.ts). */
  private fingerprint: CheckpointFingerprint | null = null;

  private constructor(
    private readonly template: CompiledTopology,
    private readonly network: Network,
    readonly config: TrainConfig,
    private readonly data: TrainingData,
    private counters: Counters,
    readonly backend: string,
    /** The step layout in use (engine/dynamics.ts). */
    readonly layout: StepLayout,
  ) {
    this.rng = new Rng(config.seed);
    this.feedback = feedbackMatrix(network, config.targetFeedback, config.seed);
    this.params = {
      weights: network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols])),
      masks: network.blocks.map((b) => tf.tensor2d(Float32Array.from(b.mask), [b.rows, b.cols])),
      biases: network.biases.map((b) => tf.tensor1d(b)),
    };
    this.particleStores.set('train', this.newStore(data.train));
    this.particleStores.set('eval', this.newStore(data.eval));
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
    const block = options.errorBlockBatches;
    if (block !== undefined && !(Number.isInteger(block) && block >= 1)) {
      throw new InputError('engine', 'errorBlockBatches', `got ${JSON.stringify(block)}`, 'an integer ≥ 1');
    }
    const backend = await ensureBackend();
    const counters = freshCounters(options.errorBlockBatches ?? ERROR_BLOCK_BATCHES);
    const network = networkFromCompiled(compiled);
    applyExtraInit(network, config.extraInit, config.seed);
    const requested = options.layout ?? 'auto';
    if (!['auto', 'blocks', 'fused'].includes(requested)) {
      throw new InputError('engine', 'layout', `${JSON.stringify(requested)}`, 'auto, blocks or fused');
    }
    const layout = requested === 'auto' ? chooseLayout(network) : requested;
    checkThreads(options.threads);
    const ownConfig = { ...config, learningRates: [...config.learningRates] };
    const trainer = new Trainer(compiled, network, ownConfig, data, counters, backend, layout);
    trainer.fingerprint = checkpointFingerprint(compiled, ownConfig);
    await trainer.startWorkersOrDispose(options.threads ?? 1, options.onnx);
    return trainer;
  }

  /**
   * Continues the run saved at `path` exactly where it stopped; `data` must be the same data.
   * `fingerprint` is carried into the next checkpoints when this one predates fingerprints (the
   * caller has checked it against the run another way); a checkpoint's own fingerprint wins.
   */
  static async resume(
    path: string,
    data: TrainingData,
    options: Pick<TrainerOptions, 'threads' | 'onnx'> & { fingerprint?: CheckpointFingerprint } = {},
  ): Promise<Trainer> {
    const saved = readTrainerCheckpoint(path);
    const { meta } = saved;
    const compiled = compiledFromCheckpoint(saved);
    checkSameData(meta.data, data, path);
    validateTrainConfig(meta.config, compiled.sizes.length - 1);
    checkThreads(options.threads);
    const stores = particleStoresFromCheckpoint(saved, path);
    const backend = await ensureBackend();
    const counters = countersFromCheckpoint(meta.counters);
    const network = networkFromCompiled(compiled);
    const trainer = new Trainer(compiled, network, meta.config, data, counters, backend, meta.layout);
    trainer.fingerprint = meta.fingerprint ?? options.fingerprint ?? null;
    trainer.rng.setState(meta.rng);
    for (const [name, store] of stores) trainer.particleStores.set(name, store);
    await trainer.startWorkersOrDispose(options.threads ?? 1, options.onnx);
    return trainer;
  }

  /**
   * Sets up the threads: the backend's own phase runtime on `threads` threads (ORT's intra-op pool),
   * or threads − 1 phase workers; on failure frees the trainer's tensors before rethrowing.
   */
  private async startWorkersOrDispose(threads: number, onnx: OrtPhaseOptions = {}): Promise<void> {
    const traits = backendTraits(this.backend);
    if (traits.phases === 'ort') {
      this.runner = new OrtPhaseRunner(threads, onnx);
      return;
    }
    if (threads === 1) return;
    try {
      this.pool = await WorkerPool.start(
        threads - 1,
        this.backend as BackendName,
        this.network,
        this.config.epsilon,
        this.layout,
      );
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.syncWorkers();
  }

  /** Threads running the phases (1 + phase workers). */
  get threads(): number {
    return this.runner?.threads ?? 1 + (this.pool?.size ?? 0);
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
    const store = this.particleStores.get(name);
    if (!store) throw new RangeError(`eqprop/engine: no particle store ${name}`);
    const size = store.batchSize * store.width;
    return store.data.slice(batch * size, (batch + 1) * size);
  }

  private newStore(d: Dataset): ParticleStore {
    return new ParticleStore(batchCount(d, this.config.batchSize), this.config.batchSize, this.network.sizes.slice(1));
  }

  /** The network, its current parameters and the threads, as the phase helpers take them (params change per batch). */
  private get phaseContext(): PhaseContext {
    const { network, params, config, layout, pool, runner } = this;
    return { network, params, config, layout, pool, runner, rowAlignment: backendTraits(this.backend).rowAlignment };
  }

  /** Sends the current weights and biases to the phase workers (after every update). */
  private syncWorkers(): void {
    if (!this.pool) return;
    this.pool.setWeights(
      this.params.weights.map((w) => w.dataSync() as Float32Array),
      this.params.biases.map((b) => b.dataSync() as Float32Array),
    );
  }

  /** One training batch: free phase, weakly-clamped phase, update. Returns its errors and, if asked, eq. 2 rates. */
  private async trainBatch(
    i: number,
    wantRates: boolean,
  ): Promise<{ errors: number; rates: Float32Array | null; meanFreeSteps: number }> {
    const { config, network } = this;
    const B = config.batchSize,
      n0 = network.sizes[0],
      M = network.N - n0,
      nOut = network.sizes[network.K];
    if (config.randomBetaSign && this.rng.next() < 0.5) this.counters.betaSign = -this.counters.betaSign;
    const betaSigned = config.beta * this.counters.betaSign;
    const x = batchPixels(this.data.train, i, B);
    const target = batchTargets(this.data.train, i, B, nOut);
    const store = this.particleStores.get('train')!;
    const ops = buildOperators(network, this.params.weights, config.epsilon, this.layout);
    const { result, timing } = await splitBatchPhases(this.phaseContext, ops, {
      x,
      initial: store.data.subarray(i * B * M, (i + 1) * B * M),
      target,
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
    const xt = tf.tensor2d(x, [B, n0]);
    // Symmetric nudging: the rule's (s⁺ᵀs⁺ − s⁻ᵀs⁻) / (2β) is the one-sided rule with the phase at −β
    // in the free state's place and 2β for β (the sign of β drops out).
    const symmetric = result.clampedMirror !== null;
    const free = toState(network, xt, symmetric ? result.clampedMirror! : result.free);
    const clamped = toState(network, xt, result.clamped!);
    const update = learningUpdate(
      network,
      this.params,
      free,
      clamped,
      symmetric ? 2 * betaSigned : betaSigned,
      config,
      wantRates,
    );
    tf.dispose([...this.params.weights, ...this.params.biases]);
    this.params = { ...this.params, weights: update.weights, biases: update.biases };
    this.syncWorkers();
    const rates = update.rates ? (update.rates.dataSync() as Float32Array).slice() : null;
    update.rates?.dispose();
    disposeState(free);
    disposeState(clamped);
    xt.dispose();
    return { errors, rates, meanFreeSteps: result.freeStepsSum / B };
  }

  /** The particle store for evaluating `d`: the evaluation set's own, else `particles` (default 'test'). */
  private storeFor(d: Dataset, particles?: string): ParticleStore {
    const name = particles ?? (d === this.data.eval ? 'eval' : 'test');
    const batches = batchCount(d, this.config.batchSize);
    if (batches < 1 || d.dims !== this.network.sizes[0]) {
      throw new InputError(
        'engine',
        'dataset',
        `${d.count} examples of ${d.dims} pixels`,
        `at least ${this.config.batchSize} examples of ${this.network.sizes[0]} pixels`,
      );
    }
    let store = this.particleStores.get(name);
    if (!store || store.batches !== batches) {
      store = this.newStore(d);
      this.particleStores.set(name, store);
    }
    return store;
  }

  /**
   * Error of the current network on a dataset, free phase only (SPEC §3), on the main thread
   * (synchronous, so on the tfjs path even with the onnxruntime backend: same numbers to float32
   * rounding; evaluateParallel uses ORT). The
   * evaluation set uses its persistent particles; any other dataset gets its own persistent store
   * under `particles` (default 'test'), created at zeros the first time.
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
   * evaluate(), with the batches spread over the phase workers (same numbers); with a phase runtime
   * (ORT), `batchesPerRun` batches at a time as one run (default EVAL_BATCHES_PER_RUN).
   */
  evaluateParallel(d: Dataset, particles?: string, batchesPerRun?: number): Promise<number> {
    return evaluateOnAllThreads(this.phaseContext, d, this.storeFor(d, particles), batchesPerRun);
  }

  /** The phase runtime's counters (ORT: sessions created, runs, milliseconds in each), or null on tfjs. For benches. */
  get phaseRuntimeStats(): OrtPhaseRunner['stats'] | null {
    return this.runner instanceof OrtPhaseRunner ? { ...this.runner.stats } : null;
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
    this.removeBlocks(blocksToRemove(this.network, config, c.epoch));
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
    const evalError = await evaluateOnAllThreads(this.phaseContext, this.data.eval, this.particleStores.get('eval')!);
    c.epochElapsedMs += performance.now() - started;
    const outcome: EpochOutcome = { ...progress(), evalError, durationMs: c.epochElapsedMs, stopped: false };
    this.counters = nextEpoch(c);
    if (hooks.checkpointPath) this.saveCheckpoint(hooks.checkpointPath);
    return outcome;
  }

  /** Zeroes and masks out the given blocks (add-train-remove, engine/removal.ts); a no-op when already done. */
  private removeBlocks(indices: number[]): void {
    if (indices.length === 0) return;
    const { weights, masks } = this.params;
    for (const i of indices) {
      const { rows, cols } = this.network.blocks[i];
      tf.dispose([weights[i], masks[i]]);
      weights[i] = tf.zeros([rows, cols]);
      masks[i] = tf.zeros([rows, cols]);
    }
    this.syncWorkers();
  }

  /** Downloads the current weights and biases into the host-side network. */
  private syncNetwork(): void {
    for (const [i, block] of this.network.blocks.entries()) {
      block.weights.set(this.params.weights[i].dataSync() as Float32Array);
    }
    for (const [l, b] of this.params.biases.entries()) this.network.biases[l].set(b.dataSync() as Float32Array);
  }

  /** The topology with the current weights and biases (for stores, exports, or a new run). */
  exportCompiled(): CompiledTopology {
    this.syncNetwork();
    return compiledFromNetwork(this.network, this.template);
  }

  /** Writes everything the run needs to continue exactly (engine/trainer-checkpoint.ts says what). */
  saveCheckpoint(path: string): void {
    writeTrainerCheckpoint(path, {
      compiled: this.exportCompiled(),
      particleStores: this.particleStores,
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
    tf.dispose([...this.params.weights, ...this.params.masks, ...this.params.biases]);
    this.params = { weights: [], masks: [], biases: [] };
    void this.pool?.close();
    this.pool = null;
    this.runner?.dispose();
    this.runner = null;
  }
}

function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new InputError('engine', 'threads', `${threads}`, 'an integer in [1, 64]');
  }
}

/** The backend in use, initialising the fastest available one if the caller has not chosen. */
async function ensureBackend(): Promise<string> {
  if (tf.engine().backendName) return currentBackend();
  return initBackend('auto');
}
