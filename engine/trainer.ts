/**
 * Trainer: one EqProp training run (SPEC §2–3) on a compiled topology — weights and biases as
 * tensors, persistent particles for training and evaluation batches, the seeded Rng that draws
 * the sign of β, and the counters that let a checkpoint resume mid-epoch exactly.
 *
 * Batches are consecutive slices of the dataset in a fixed order (batch i = examples
 * [iB, (i+1)B)); a remainder smaller than a batch is not used.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CompiledTopology, DenseBlock } from '../graph/types.js';
import { InputError } from '../graph/errors.js';
import { Rng, type RngState } from '../graph/rng.js';
import type { RatePoint } from './rates.js';
import { validateTrainConfig, type TrainConfig } from './config.js';
import { buildOperators, chooseLayout, disposeOperators, disposeState, type Operators, type State, type StepLayout } from './dynamics.js';
import { runPhases, toState, type PhaseRequest, type PhaseResult } from './phases.js';
import { WorkerPool } from './worker-pool.js';
import { splitRows } from './row-split.js';
import type { BackendName } from './backend.js';
import { learningUpdate, type Parameters } from './learning.js';
import type { Dataset } from './mnist.js';
import { compiledFromNetwork, networkFromCompiled, type Network } from './network.js';
import { ParticleStore } from './particles.js';
import { readCheckpointFile, writeCheckpointFile, type TypedArray } from './checkpoint.js';
import { initBackend, rowAlignment } from './backend.js';
import { ERROR_BLOCK_BATCHES } from './error-blocks.js';

export interface TrainingData {
  train: Dataset;
  eval: Dataset;
}

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
}

export interface BatchProgress {
  /** 1-based epoch being trained. */
  epoch: number;
  /** Batches of this epoch done so far (1-based). */
  batch: number;
  batches: number;
  /** Training error so far in this epoch (fraction of examples). */
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

interface Counters {
  /** Completed epochs. */
  epoch: number;
  /** Next training batch of the current epoch. */
  batchInEpoch: number;
  /** Training batches done since the start of the run. */
  globalBatch: number;
  epochErrors: number;
  epochExamples: number;
  epochFreeSteps: number;
  epochElapsedMs: number;
  /** Wrong training predictions per block of errorBlockBatches batches this epoch; null = not counted. */
  blockErrors: number[] | null;
  errorBlockBatches: number;
  /** Running sign of β (SPEC §2: flipped with probability ½ per batch). */
  betaSign: number;
}

interface CheckpointMeta {
  config: TrainConfig;
  counters: Counters;
  rng: RngState;
  backend: string;
  layout: StepLayout;
  data: { train: DataFingerprint; eval: DataFingerprint };
  topology: { sizes: number[]; offsets: number[]; N: number; blocks: Omit<DenseBlock, 'weights' | 'mask'>[]; skipCount: number };
  particles: { name: string; batches: number; batchSize: number; layerSizes: number[] }[];
}

interface DataFingerprint {
  count: number;
  dims: number;
  /** FNV-1a of the labels: catches resuming on different data of the same size. */
  labelHash: number;
}

function fingerprint(d: Dataset): DataFingerprint {
  let h = 0x811c9dc5;
  for (let i = 0; i < d.labels.length; i++) h = Math.imul(h ^ d.labels[i], 0x01000193) >>> 0;
  return { count: d.count, dims: d.dims, labelHash: h };
}

function checkData(compiled: CompiledTopology, config: TrainConfig, data: TrainingData): void {
  const outputs = compiled.sizes[compiled.sizes.length - 1];
  for (const [name, d] of Object.entries(data) as [string, Dataset][]) {
    if (!d || d.dims !== compiled.sizes[0]) throw new InputError('engine', `data.${name}`, `${d?.dims} pixels per example`, `${compiled.sizes[0]} (the input layer size)`);
    if (d.count < config.batchSize) throw new InputError('engine', `data.${name}`, `${d.count} examples`, `at least one batch (${config.batchSize})`);
    for (let i = 0; i < d.labels.length; i++) {
      if (d.labels[i] >= outputs) throw new InputError('engine', `data.${name}`, `label ${d.labels[i]} at ${i}`, `labels below ${outputs} (the output layer size)`);
    }
  }
}

export class Trainer {
  private readonly rng: Rng;
  private readonly particleStores = new Map<string, ParticleStore>();
  private params: Parameters;
  private pool: WorkerPool | null = null;
  /**
   * Where the last split batch's phase time went (threads > 1): the main thread's share, its wait
   * for the workers after that, and each worker's own phases and weight intake. For bench/engine.ts.
   */
  lastPhaseTiming: { mainMs: number; waitMs: number; workers: { phasesMs: number; weightsMs: number }[] } | null = null;

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
    this.params = {
      weights: network.blocks.map((b) => tf.tensor2d(b.weights, [b.rows, b.cols])),
      masks: network.blocks.map((b) => tf.tensor2d(Float32Array.from(b.mask), [b.rows, b.cols])),
      biases: network.biases.map((b) => tf.tensor1d(b)),
    };
    this.particleStores.set('train', this.newStore(data.train));
    this.particleStores.set('eval', this.newStore(data.eval));
  }

  /** A fresh run: particles at zeros, counters at zero, the Rng seeded from config.seed. */
  static async create(compiled: CompiledTopology, config: TrainConfig, data: TrainingData, options: TrainerOptions = {}): Promise<Trainer> {
    validateTrainConfig(config, compiled.sizes.length - 1);
    checkData(compiled, config, data);
    const block = options.errorBlockBatches;
    if (block !== undefined && !(Number.isInteger(block) && block >= 1)) {
      throw new InputError('engine', 'errorBlockBatches', `got ${JSON.stringify(block)}`, 'an integer ≥ 1');
    }
    const backend = await ensureBackend();
    const counters: Counters = { epoch: 0, batchInEpoch: 0, globalBatch: 0, epochErrors: 0, epochExamples: 0, epochFreeSteps: 0, epochElapsedMs: 0, blockErrors: [],
      errorBlockBatches: options.errorBlockBatches ?? ERROR_BLOCK_BATCHES, betaSign: 1 };
    const network = networkFromCompiled(compiled);
    const requested = options.layout ?? 'auto';
    if (!['auto', 'blocks', 'fused'].includes(requested)) throw new InputError('engine', 'layout', `${JSON.stringify(requested)}`, 'auto, blocks or fused');
    const layout = requested === 'auto' ? chooseLayout(network) : requested;
    checkThreads(options.threads);
    const trainer = new Trainer(compiled, network, { ...config, learningRates: [...config.learningRates] }, data, counters, backend, layout);
    await trainer.startWorkersOrDispose(options.threads ?? 1);
    return trainer;
  }

  /** Continues the run saved at `path` exactly where it stopped; `data` must be the same data. */
  static async resume(path: string, data: TrainingData, options: Pick<TrainerOptions, 'threads'> = {}): Promise<Trainer> {
    const { meta: raw, sections } = readCheckpointFile(path);
    const meta = raw as CheckpointMeta;
    const section = <T extends TypedArray>(name: string): T => {
      const s = sections.get(name);
      if (!s) throw new InputError('engine/checkpoint', path, `section ${name} is missing`, 'a complete eqprop checkpoint');
      return s as T;
    };
    const compiled: CompiledTopology = {
      sizes: meta.topology.sizes,
      offsets: meta.topology.offsets,
      N: meta.topology.N,
      blocks: meta.topology.blocks.map((b, i) => ({ ...b, weights: section<Float32Array>(`block.${i}.weights`), mask: section<Uint8Array>(`block.${i}.mask`) })),
      skip: {
        count: meta.topology.skipCount,
        src: section('skip.src'), dst: section('skip.dst'), srcLayer: section('skip.srcLayer'), dstLayer: section('skip.dstLayer'),
        weight: section('skip.weight'), rateClass: section('skip.rateClass'),
      },
      biases: section('biases'),
      biasRateClass: section('biasRateClass'),
    };
    for (const name of ['train', 'eval'] as const) {
      const want = meta.data[name], got = fingerprint(data[name]);
      if (want.count !== got.count || want.dims !== got.dims || want.labelHash !== got.labelHash) {
        throw new InputError('engine', `data.${name}`, `differs from the data the checkpoint ${path} was trained on (${got.count} examples vs ${want.count}, or other labels)`, 'the same data as the run that wrote the checkpoint');
      }
    }
    validateTrainConfig(meta.config, compiled.sizes.length - 1);
    checkThreads(options.threads);
    const stores = meta.particles.map((p) => {
      const values = section<Float32Array>(`particles.${p.name}`);
      if (values.length !== p.batches * p.batchSize * p.layerSizes.reduce((a, b) => a + b, 0)) {
        throw new InputError('engine/checkpoint', path, `particles.${p.name} has ${values.length} values for ${p.batches} batches of ${p.batchSize}`, 'a complete eqprop checkpoint');
      }
      return [p.name, new ParticleStore(p.batches, p.batchSize, p.layerSizes, values)] as const;
    });
    const backend = await ensureBackend();
    // Checkpoints older than block counting: known only if the epoch had not started.
    const blockErrors = meta.counters.blockErrors === undefined ? (meta.counters.batchInEpoch === 0 ? [] : null) : meta.counters.blockErrors;
    const counters = { ...meta.counters, blockErrors: blockErrors && [...blockErrors], errorBlockBatches: meta.counters.errorBlockBatches ?? ERROR_BLOCK_BATCHES };
    const trainer = new Trainer(compiled, networkFromCompiled(compiled), meta.config, data, counters, backend, meta.layout);
    trainer.rng.setState(meta.rng);
    for (const [name, store] of stores) trainer.particleStores.set(name, store);
    await trainer.startWorkersOrDispose(options.threads ?? 1);
    return trainer;
  }

  /** Starts threads − 1 phase workers; on failure frees the trainer's tensors before rethrowing. */
  private async startWorkersOrDispose(threads: number): Promise<void> {
    if (threads === 1) return;
    try {
      this.pool = await WorkerPool.start(threads - 1, this.backend as BackendName, this.network, this.config.epsilon, this.layout);
    } catch (e) {
      this.dispose();
      throw e;
    }
    this.syncWorkers();
  }

  /** Threads running the phases (1 + phase workers). */
  get threads(): number {
    return 1 + (this.pool?.size ?? 0);
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
    return Math.floor(this.data.train.count / this.config.batchSize);
  }

  /** A copy of the stored free state of batch i of a particle store ('train', 'eval', or an evaluate() key). */
  particles(name: string, batch: number): Float32Array {
    const store = this.particleStores.get(name);
    if (!store) throw new RangeError(`eqprop/engine: no particle store ${name}`);
    const size = store.batchSize * store.width;
    return store.data.slice(batch * size, (batch + 1) * size);
  }

  private newStore(d: Dataset): ParticleStore {
    return new ParticleStore(Math.floor(d.count / this.config.batchSize), this.config.batchSize, this.network.sizes.slice(1));
  }

  /** Host views of batch i: pixels, labels, one-hot targets. */
  private batchHost(d: Dataset, i: number): { x: Float32Array; labels: Uint8Array; target: Float32Array } {
    const B = this.config.batchSize, nOut = this.network.sizes[this.network.K];
    const labels = d.labels.subarray(i * B, (i + 1) * B);
    const target = new Float32Array(B * nOut);
    labels.forEach((label, row) => (target[row * nOut + label] = 1));
    return { x: d.images.subarray(i * B * d.dims, (i + 1) * B * d.dims), labels, target };
  }

  /** Misclassified rows: prediction = first index of the largest output (as tf.argMax). */
  private countErrors(free: Float32Array, labels: Uint8Array): number {
    const M = this.network.N - this.network.sizes[0], nOut = this.network.sizes[this.network.K];
    let errors = 0;
    for (let row = 0; row < labels.length; row++) {
      const base = row * M + M - nOut;
      let best = 0;
      for (let k = 1; k < nOut; k++) if (free[base + k] > free[base + best]) best = k;
      if (best !== labels[row]) errors++;
    }
    return errors;
  }

  /**
   * The phases of one batch, its rows split across the main thread and the phase workers (rows
   * are independent during the phases). Workers get their share first, then the main thread
   * computes its own while they run.
   */
  private async phases(ops: Operators, request: PhaseRequest): Promise<PhaseResult> {
    const n0 = this.network.sizes[0], M = this.network.N - n0, nOut = this.network.sizes[this.network.K];
    const rows = request.x.length / n0;
    const parts = Math.min(rows, 1 + (this.pool?.size ?? 0));
    if (parts === 1) return runPhases(this.network, this.params, ops, this.config.epsilon, request);
    const bounds = splitRows(rows, parts, rowAlignment(this.backend));
    const share = (k: number): PhaseRequest => ({
      ...request,
      x: request.x.slice(bounds[k] * n0, bounds[k + 1] * n0),
      initial: request.initial.slice(bounds[k] * M, bounds[k + 1] * M),
      target: request.target ? request.target.slice(bounds[k] * nOut, bounds[k + 1] * nOut) : null,
    });
    const remote = Array.from({ length: parts - 1 }, (_, k) => this.pool!.phases(k, share(k + 1)));
    const started = performance.now();
    const mine = runPhases(this.network, this.params, ops, this.config.epsilon, share(0));
    const mainDone = performance.now();
    const results = [mine, ...(await Promise.all(remote))];
    this.lastPhaseTiming = { mainMs: mainDone - started, waitMs: performance.now() - mainDone, workers: results.slice(1).map((r) => r.timing ?? { phasesMs: NaN, weightsMs: NaN }) };
    const free = new Float32Array(rows * M);
    const clamped = request.target ? new Float32Array(rows * M) : null;
    results.forEach((r, k) => {
      free.set(r.free, bounds[k] * M);
      if (clamped) clamped.set(r.clamped!, bounds[k] * M);
    });
    return { free, clamped, freeStepsSum: results.reduce((sum, r) => sum + r.freeStepsSum, 0) };
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
  private async trainBatch(i: number, wantRates: boolean): Promise<{ errors: number; rates: Float32Array | null; meanFreeSteps: number }> {
    const { config, network } = this;
    const B = config.batchSize, n0 = network.sizes[0], M = network.N - n0;
    if (config.randomBetaSign && this.rng.next() < 0.5) this.counters.betaSign = -this.counters.betaSign;
    const betaSigned = config.beta * this.counters.betaSign;
    const { x, labels, target } = this.batchHost(this.data.train, i);
    const store = this.particleStores.get('train')!;
    const ops = buildOperators(network, this.params.weights, config.epsilon, this.layout);
    const result = await this.phases(ops, { x, initial: store.data.subarray(i * B * M, (i + 1) * B * M), target, betaSigned, freeSteps: config.freeSteps, clampedSteps: config.clampedSteps, adaptive: config.adaptive ?? null });
    disposeOperators(ops);
    store.data.set(result.free, i * B * M);
    const errors = this.countErrors(result.free, labels);
    const xt = tf.tensor2d(x, [B, n0]);
    const free = toState(network, xt, result.free), clamped = toState(network, xt, result.clamped!);
    const update = learningUpdate(network, this.params, free, clamped, betaSigned, config, wantRates);
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

  private evalRequest(d: Dataset, store: ParticleStore, i: number): PhaseRequest {
    const size = this.config.batchSize * store.width;
    return { x: this.batchHost(d, i).x.slice(), initial: store.data.slice(i * size, (i + 1) * size), target: null, betaSigned: 0, freeSteps: this.config.freeSteps, clampedSteps: 0, adaptive: this.config.adaptive ?? null };
  }

  /** Stores batch i's free equilibrium in its particle and returns its errors. */
  private finishEval(d: Dataset, store: ParticleStore, i: number, result: PhaseResult): number {
    store.data.set(result.free, i * this.config.batchSize * store.width);
    return this.countErrors(result.free, this.batchHost(d, i).labels);
  }

  /**
   * Free phases over a dataset from (and back into) a particle store; returns the error fraction.
   * Batches are independent: with phase workers, each thread takes whole batches.
   */
  private async evaluateWith(d: Dataset, store: ParticleStore): Promise<number> {
    const ops = buildOperators(this.network, this.params.weights, this.config.epsilon, this.layout);
    const threads = this.threads;
    let errors = 0;
    try {
      for (let first = 0; first < store.batches; first += threads) {
        const batches = Array.from({ length: Math.min(threads, store.batches - first) }, (_, k) => first + k);
        const remote = batches.slice(1).map((i, k) => this.pool!.phases(k, this.evalRequest(d, store, i)));
        const results = [runPhases(this.network, this.params, ops, this.config.epsilon, this.evalRequest(d, store, batches[0])), ...(await Promise.all(remote))];
        results.forEach((r, k) => (errors += this.finishEval(d, store, batches[k], r)));
      }
    } finally {
      disposeOperators(ops);
    }
    return errors / (store.batches * store.batchSize);
  }

  private storeFor(d: Dataset, particles?: string): ParticleStore {
    const name = particles ?? (d === this.data.eval ? 'eval' : 'test');
    const batches = Math.floor(d.count / this.config.batchSize);
    if (batches < 1 || d.dims !== this.network.sizes[0]) throw new InputError('engine', 'dataset', `${d.count} examples of ${d.dims} pixels`, `at least ${this.config.batchSize} examples of ${this.network.sizes[0]} pixels`);
    let store = this.particleStores.get(name);
    if (!store || store.batches !== batches) {
      store = this.newStore(d);
      this.particleStores.set(name, store);
    }
    return store;
  }

  /**
   * Error of the current network on a dataset, free phase only (SPEC §3), on the main thread. The
   * evaluation set uses its persistent particles; any other dataset gets its own persistent store
   * under `particles` (default 'test'), created at zeros the first time.
   */
  evaluate(d: Dataset, particles?: string): number {
    const store = this.storeFor(d, particles);
    const ops = buildOperators(this.network, this.params.weights, this.config.epsilon, this.layout);
    let errors = 0;
    for (let i = 0; i < store.batches; i++) errors += this.finishEval(d, store, i, runPhases(this.network, this.params, ops, this.config.epsilon, this.evalRequest(d, store, i)));
    disposeOperators(ops);
    return errors / (store.batches * store.batchSize);
  }

  /** evaluate(), with the batches spread over the phase workers (same numbers). */
  evaluateParallel(d: Dataset, particles?: string): Promise<number> {
    return this.evaluateWith(d, this.storeFor(d, particles));
  }

  /** Trains the rest of the current epoch (all of it, or what is left after a resume), then evaluates. */
  async trainEpoch(hooks: EpochHooks = {}): Promise<EpochOutcome> {
    const { config } = this;
    const c = this.counters;
    const batches = this.trainBatches;
    const epochNumber = c.epoch + 1;
    const perBlock = c.errorBlockBatches;
    const blockErrors = () => c.blockErrors && c.blockErrors.map((wrong, k) => wrong / (Math.min(perBlock, batches - k * perBlock) * config.batchSize));
    const progress = () => ({
      epoch: epochNumber, trainError: c.epochErrors / Math.max(1, c.epochExamples),
      meanFreeSteps: c.epochFreeSteps / Math.max(1, c.epochExamples / config.batchSize), blockErrors: blockErrors(),
    });
    for (let i = c.batchInEpoch; i < batches; i++) {
      const started = performance.now();
      const wantRates = config.rateEvery > 0 && c.globalBatch % config.rateEvery === 0;
      const { errors, rates, meanFreeSteps } = await this.trainBatch(i, wantRates);
      const globalIndex = c.globalBatch;
      c.batchInEpoch = i + 1;
      c.globalBatch++;
      c.epochErrors += errors;
      if (c.blockErrors) {
        const block = Math.floor(i / perBlock);
        c.blockErrors[block] = (c.blockErrors[block] ?? 0) + errors;
      }
      c.epochExamples += config.batchSize;
      c.epochFreeSteps += meanFreeSteps;
      c.epochElapsedMs += performance.now() - started;
      hooks.onBatch?.({ epoch: epochNumber, batch: i + 1, batches, trainErrorSoFar: c.epochErrors / c.epochExamples });
      if (rates && hooks.onRates) hooks.onRates([...rates].map((rate, pair) => ({ batch: globalIndex, pair, rate })));
      const stop = hooks.shouldStop?.() ?? false;
      if (hooks.checkpointPath && (stop || (config.checkpointEvery > 0 && c.globalBatch % config.checkpointEvery === 0))) this.saveCheckpoint(hooks.checkpointPath);
      if (stop) return { ...progress(), evalError: NaN, durationMs: c.epochElapsedMs, stopped: true };
      // Yield to the event loop between batches so servers and signal handlers stay responsive.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const started = performance.now();
    const evalError = await this.evaluateWith(this.data.eval, this.particleStores.get('eval')!);
    c.epochElapsedMs += performance.now() - started;
    const outcome: EpochOutcome = { ...progress(), evalError, durationMs: c.epochElapsedMs, stopped: false };
    this.counters = { ...c, epoch: c.epoch + 1, batchInEpoch: 0, epochErrors: 0, epochExamples: 0, epochFreeSteps: 0, epochElapsedMs: 0, blockErrors: [] };
    if (hooks.checkpointPath) this.saveCheckpoint(hooks.checkpointPath);
    return outcome;
  }

  /** Downloads the current weights and biases into the host-side network. */
  private syncNetwork(): void {
    this.network.blocks.forEach((block, i) => block.weights.set(this.params.weights[i].dataSync() as Float32Array));
    this.params.biases.forEach((b, l) => this.network.biases[l].set(b.dataSync() as Float32Array));
  }

  /** The topology with the current weights and biases (for stores, exports, or a new run). */
  exportCompiled(): CompiledTopology {
    this.syncNetwork();
    return compiledFromNetwork(this.network, this.template);
  }

  /** Writes everything the run needs to continue exactly (see engine/checkpoint.ts for the layout). */
  saveCheckpoint(path: string): void {
    const compiled = this.exportCompiled();
    const sections = new Map<string, TypedArray>();
    compiled.blocks.forEach((b, i) => {
      sections.set(`block.${i}.weights`, b.weights);
      sections.set(`block.${i}.mask`, b.mask);
    });
    const { skip } = compiled;
    sections.set('skip.src', skip.src).set('skip.dst', skip.dst).set('skip.srcLayer', skip.srcLayer).set('skip.dstLayer', skip.dstLayer);
    sections.set('skip.weight', skip.weight).set('skip.rateClass', skip.rateClass);
    sections.set('biases', compiled.biases).set('biasRateClass', compiled.biasRateClass);
    for (const [name, store] of this.particleStores) sections.set(`particles.${name}`, store.data);
    const meta: CheckpointMeta = {
      config: this.config,
      counters: this.counters,
      rng: this.rng.getState(),
      backend: this.backend,
      layout: this.layout,
      data: { train: fingerprint(this.data.train), eval: fingerprint(this.data.eval) },
      topology: {
        sizes: compiled.sizes, offsets: compiled.offsets, N: compiled.N, skipCount: skip.count,
        blocks: compiled.blocks.map(({ kind, from, to, rows, cols, rateClass }) => ({ kind, from, to, rows, cols, rateClass })),
      },
      particles: [...this.particleStores].map(([name, s]) => ({ name, batches: s.batches, batchSize: s.batchSize, layerSizes: s.layerSizes })),
    };
    writeCheckpointFile(path, meta, sections);
  }

  /** Frees every tensor the trainer holds and stops its phase workers. */
  dispose(): void {
    tf.dispose([...this.params.weights, ...this.params.masks, ...this.params.biases]);
    this.params = { weights: [], masks: [], biases: [] };
    void this.pool?.close();
    this.pool = null;
  }
}

function checkThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
    throw new InputError('engine', 'threads', `${threads}`, 'an integer in [1, 64]');
  }
}

/** The backend in use, initialising the fastest available one if the caller has not chosen. */
async function ensureBackend(): Promise<string> {
  if (tf.engine().backendName) return tf.getBackend();
  return initBackend('auto');
}
