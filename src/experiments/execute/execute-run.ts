/**
 * Runs one training run to its end, keeping the store in step: the run record (running → done /
 * failed / cancelled, backend, checkpoint, worker), every epoch's result and the per-layer rate
 * series as they happen. The same function serves `eqprop train`, a local sweep worker (a
 * child process running `eqprop train --request`) and, later, a queue worker.
 *
 * Crash safety, by ordering: results reach the store BEFORE the checkpoint that moves past
 * them. Rates are flushed before every checkpoint; an epoch's result is stored, then the
 * epoch-end checkpoint written. A process killed at any moment resumes from the last checkpoint,
 * replays at most the batches after it — deterministically, so the rewritten epoch and rate rows
 * (idempotent per key) are the same — and loses no finished epoch. Periodic checkpoints are
 * taken by asking the engine to stop (shouldStop), flushing, saving, and continuing the epoch.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { compileTopology } from '../../../graph/index.js';
import { EqpropError, InputError } from '../../../lib/index.js';
import { ensureDirectory } from '../../../lib/index.js';
import { removeStaleTempFilesOf } from '../../../lib/index.js';
import { initBackend, loadDataset, loadTrainer, type BatchProgress, type MnistSplits } from '../../../engine/index.js';
import type { Trainer } from '../../../engine/index.js';
import { NotFoundError, type EpochResult, type RatePoint, type RunRecord, type Store } from '../../store/contract.js';
import { batchThrottle, errorEvent, type EmitEvent } from './events.js';
import { canonicalJson } from '../plan/ids.js';
import { checkCheckpointMatchesRun } from './checkpoint-match.js';
import { errorKindOf } from '../summarise/error-kind.js';
import { runConfigOf, validateRunConfig, type DataSizes, type RunConfig, type RunRequest } from '../plan/run-config.js';
import { resolveTopologySource } from './topology-source.js';
import { workerName } from './worker-name.js';

export { workerName };

const MODULE = 'experiments';

export interface ExecuteContext {
  store: Store;
  /** Checkpoints go to <checkpointDir>/<runId>.ckpt. */
  checkpointDir: string;
  /** Phase threads of the engine (default 1); the numbers do not depend on it. */
  threads?: number;
  emit: EmitEvent;
  /** Polled after every batch; true → checkpoint, mark the run cancelled, return. */
  stopRequested?: () => boolean;
  /** Every batch (unthrottled), for progress bars. */
  onProgress?: (progress: BatchProgress, run: { runId: string; epochs: number }) => void;
  /** Loads the data (default: the dataset the configuration names, engine/datasets/registry.ts). */
  loadData?: (sizes: DataSizes) => MnistSplits;
}

export type RunEnd = 'done' | 'skipped' | 'cancelled';

export function checkpointPathFor(checkpointDir: string, runId: string): string {
  return join(checkpointDir, `${runId}.ckpt`);
}

function defaultLoadData(sizes: DataSizes): MnistSplits {
  return loadDataset(sizes.dataset, sizes);
}

/** The run with this id, or null when the store has none (other errors propagate). */
export async function findRun(store: Store, id: string): Promise<RunRecord | null> {
  try {
    return await store.getRun(id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** True when the run's recorded worker is a live process on this machine (another `train`). */
function heldByLiveProcess(run: RunRecord): boolean {
  if (run.status !== 'running' || !run.worker) return false;
  const [host, pid] = run.worker.split(':');
  if (host !== hostname() || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes this process the run's only trainer (Store.claimRun): the run must still have the status
 * and worker we read, so of two `--resume` (or sweep workers) started at the same moment exactly
 * one trains. The loser's error is of kind 'busy', which the queue treats as "retry later".
 */
async function claimOrThrow(store: Store, run: Pick<RunRecord, 'id' | 'status' | 'worker'>): Promise<void> {
  const won = await store.claimRun(run.id, {
    worker: workerName(),
    expectedStatuses: [run.status],
    expectedWorker: run.worker,
  });
  if (won) return;
  const now = await findRun(store, run.id);
  throw new InputError(
    MODULE,
    'runId',
    `run ${run.id} is being trained right now by process ${now?.worker ?? 'another process'} (it claimed the run ` +
      `first; status ${now?.status ?? 'unknown'})`,
    'one trainer per run: wait for that process, or stop it first',
    { kind: 'busy' },
  );
}

/** The configuration that decides results (the backend choice only changes float rounding). */
function sameRunConfig(a: RunConfig, b: RunConfig): boolean {
  const { backend: _a, ...ra } = a;
  const { backend: _b, ...rb } = b;
  return canonicalJson(ra) === canonicalJson(rb);
}

/**
 * Starts a run from a request. With a run id that already exists: a finished run is skipped,
 * an unfinished one (crashed, cancelled, failed) is resumed — that makes sweeps re-runnable.
 */
export async function startRun(request: RunRequest, ctx: ExecuteContext): Promise<{ runId: string; end: RunEnd }> {
  const { store } = ctx;
  // Before anything is written: a checkpoint directory that cannot exist is bad input.
  ensureDirectory(ctx.checkpointDir, 'checkpointDir');
  if (request.runId) {
    const existing = await findRun(store, request.runId);
    if (existing) {
      const stored = runConfigOf(existing.config, existing.id);
      if (!sameRunConfig(stored, request.config)) {
        throw new InputError(
          MODULE,
          'runId',
          `run ${existing.id} exists with a different configuration`,
          'a new run id, or the same configuration to resume it',
        );
      }
      return resumeRun(existing.id, ctx);
    }
  }
  const config = request.config;
  // Every caller (CLI, sweep worker, queue, API job) gets the same checks before anything is
  // written; a stored topology's sizes are read (reading writes nothing).
  validateRunConfig(
    config,
    config.topology.kind === 'stored' ? (await store.getTopology(config.topology.id)).spec.sizes : undefined,
  );
  const backend = await initBackend(config.backend);
  const data = (ctx.loadData ?? defaultLoadData)(config.data);
  const topologyId = await resolveTopologySource(store, config.topology);
  const compiled = compileTopology(await store.loadTopology(topologyId));
  // Created queued, then claimed: another process that found this id in the meantime resumes
  // it (its claim or ours wins, never both).
  const runId = await store.createRun({
    id: request.runId,
    topologyId,
    sweepId: request.sweepId ?? null,
    config: config as unknown as Record<string, unknown>,
    seed: config.train.seed,
    status: 'queued',
  });
  await claimOrThrow(store, { id: runId, status: 'queued', worker: null });
  return failRunIfThrows(store, runId, ctx.emit, async () => {
    const checkpoint = checkpointPathFor(ctx.checkpointDir, runId);
    await store.updateRun(runId, { backend, checkpoint, worker: workerName(), startedAt: new Date().toISOString() });
    ctx.emit({
      event: 'run',
      runId,
      topologyId,
      backend,
      sweepId: request.sweepId ?? null,
      resumed: false,
      errorKind: errorKindOf(config),
    });
    const Trainer = await loadTrainer();
    const trainer = await Trainer.create(
      compiled,
      config.train,
      { train: data.train, eval: data.eval },
      { threads: ctx.threads },
    );
    return train(trainer, runId, config, data, checkpoint, ctx);
  });
}

/** Continues a stored run from its checkpoint (or from the start if it never wrote one). */
export async function resumeRun(runId: string, ctx: ExecuteContext): Promise<{ runId: string; end: RunEnd }> {
  const { store } = ctx;
  ensureDirectory(ctx.checkpointDir, 'checkpointDir');
  const run = await store.getRun(runId);
  const config = runConfigOf(run.config, run.id);
  if (run.status === 'done') {
    ctx.emit({
      event: 'run',
      runId,
      topologyId: run.topologyId,
      backend: run.backend ?? 'unknown',
      sweepId: run.sweepId,
      resumed: false,
      errorKind: errorKindOf(config),
    });
    ctx.emit({ event: 'done', runId, skipped: true });
    return { runId, end: 'skipped' };
  }
  if (heldByLiveProcess(run)) {
    throw new InputError(
      MODULE,
      'runId',
      `run ${runId} is being trained right now by process ${run.worker}`,
      'a run that is not running (wait, or stop that process first)',
      { kind: 'busy' },
    );
  }
  const backend = await initBackend(config.backend);
  const data = (ctx.loadData ?? defaultLoadData)(config.data);
  const checkpoint = run.checkpoint ?? checkpointPathFor(ctx.checkpointDir, runId);
  // Before the claim writes anything: a checkpoint of another network or config is refused.
  const stored = existsSync(checkpoint) ? compileTopology(await store.loadTopology(run.topologyId)) : null;
  const fingerprint = stored ? checkCheckpointMatchesRun(checkpoint, run, config.train, stored) : undefined;
  await claimOrThrow(store, run);
  return failRunIfThrows(store, runId, ctx.emit, async () => {
    // The run is ours now: half-written checkpoints of processes that died mid-write can go.
    removeStaleTempFilesOf(checkpoint);
    const fromCheckpoint = existsSync(checkpoint);
    const Trainer = await loadTrainer();
    const trainer = fromCheckpoint
      ? await Trainer.resume(checkpoint, { train: data.train, eval: data.eval }, { threads: ctx.threads, fingerprint })
      : await Trainer.create(
          compileTopology(await store.loadTopology(run.topologyId)),
          config.train,
          { train: data.train, eval: data.eval },
          { threads: ctx.threads },
        );
    await store.updateRun(runId, {
      status: 'running',
      backend,
      checkpoint,
      worker: workerName(),
      error: null,
      finishedAt: null,
      startedAt: run.startedAt ?? new Date().toISOString(),
    });
    ctx.emit({
      event: 'run',
      runId,
      topologyId: run.topologyId,
      backend,
      sweepId: run.sweepId,
      resumed: true,
      errorKind: errorKindOf(config),
      resumedFrom: { status: run.status, worker: run.worker, checkpoint: fromCheckpoint ? checkpoint : null },
    });
    return train(trainer, runId, config, data, checkpoint, ctx);
  });
}

/** Marks the run failed (with the message) when training throws, and passes the error on. */
async function failRunIfThrows(
  store: Store,
  runId: string,
  emit: EmitEvent,
  body: () => Promise<RunEnd>,
): Promise<{ runId: string; end: RunEnd }> {
  try {
    return { runId, end: await body() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await store
      .updateRun(runId, { status: 'failed', error: message, finishedAt: new Date().toISOString() })
      .catch(() => undefined);
    emit(errorEvent(e, runId));
    throw e instanceof EqpropError ? e : new EqpropError('experiments', `run ${runId} failed: ${message}`);
  }
}

/**
 * Rate points buffered and written in chunks (not one transaction per batch), flushed before
 * checkpoints. A write runs in the background while training goes on; its failure is kept and
 * thrown by the next add() or flush() (inside the training loop, so the run ends `failed` with
 * the error), never left as an unhandled rejection that kills the process with the run "running".
 */
class RateWriter {
  private buffer: RatePoint[] = [];
  private pending: Promise<void>[] = [];
  private lastFlush = Date.now();
  private failure: { error: unknown } | null = null;
  constructor(
    private readonly store: Store,
    private readonly runId: string,
  ) {}

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  add(points: RatePoint[]): void {
    this.throwIfFailed();
    this.buffer.push(...points);
    if (this.buffer.length >= 400 || Date.now() - this.lastFlush > 2000) this.start();
  }

  private start(): void {
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    this.lastFlush = Date.now();
    const write = this.store.addRates(this.runId, points).catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.pending.push(write);
  }

  /** Everything added so far is in the store when this resolves. */
  async flush(): Promise<void> {
    this.start();
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
    this.throwIfFailed();
  }
}

async function train(
  trainer: Trainer,
  runId: string,
  config: RunConfig,
  data: MnistSplits,
  checkpoint: string,
  ctx: ExecuteContext,
): Promise<RunEnd> {
  const { store, emit } = ctx;
  const rates = new RateWriter(store, runId);
  const throttle = batchThrottle();
  const every = config.train.checkpointEvery;
  const stopRequested = ctx.stopRequested ?? (() => false);
  try {
    while (trainer.epoch < config.epochs) {
      const outcome = await trainer.trainEpoch({
        onBatch: (p) => {
          ctx.onProgress?.(p, { runId, epochs: config.epochs });
          if (throttle(p.batch, p.batches))
            emit({ event: 'batch', epoch: p.epoch, batch: p.batch, batches: p.batches, trainError: p.trainErrorSoFar });
        },
        onRates: (points) => rates.add(points),
        shouldStop: () => stopRequested() || (every > 0 && trainer.globalBatch % every === 0),
      });
      if (outcome.stopped) {
        await rates.flush();
        trainer.saveCheckpoint(checkpoint);
        if (stopRequested()) {
          await store.updateRun(runId, { status: 'cancelled', finishedAt: new Date().toISOString() });
          emit({ event: 'cancelled', runId });
          return 'cancelled';
        }
        // A periodic checkpoint: carry on with the same epoch. The engine yields to the event loop
        // after an ordinary batch, not after one it stopped at; yielding here too lets a stop
        // signal (SIGTERM from the job runner, Ctrl-C) be seen with --checkpoint-every 1 as well.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const testError = data.test ? trainer.evaluate(data.test) : null;
      await rates.flush();
      const result: EpochResult = {
        epoch: outcome.epoch,
        trainError: outcome.trainError,
        evalError: outcome.evalError,
        testError,
        durationMs: Math.round(outcome.durationMs),
        meanFreeSteps: outcome.meanFreeSteps,
        blockErrors: outcome.blockErrors,
      };
      await store.addEpoch(runId, result);
      emit({ event: 'epoch', ...result });
      trainer.saveCheckpoint(checkpoint);
    }
    await store.updateRun(runId, { status: 'done', finishedAt: new Date().toISOString() });
    emit({ event: 'done', runId });
    return 'done';
  } finally {
    trainer.dispose();
  }
}
