/**
 * One batch's phases on every thread of a run: the main thread and the phase workers
 * (engine/worker-pool.ts) each take a share of the batch's rows, since rows are independent during
 * the phases. Shares follow the backend's row alignment (engine/row-split.ts), so no engine module
 * needs to know which backend runs.
 */
import type { Network } from './network.js';
import type { Parameters } from './learning.js';
import type { TrainConfig } from './config.js';
import type { Operators } from './dynamics/operators.js';
import type { StepLayout } from './dynamics/layout-cost.js';
import { runPhases, type PhaseRequest, type PhaseResult, type PhaseRunner } from './phases.js';
import type { WorkerPool } from './worker-pool.js';
import { splitRows } from './row-split.js';

/** What running phases needs: the network with its current parameters, and the threads to use. */
export interface PhaseContext {
  network: Network;
  params: Parameters;
  config: TrainConfig;
  layout: StepLayout;
  /** The phase workers; null when the main thread runs alone. */
  pool: WorkerPool | null;
  /** A phase runtime with its own threads (BACKEND_TRAITS phases 'ort'), or null for tfjs. */
  runner: PhaseRunner | null;
  /** Rows the backend's matrix product handles at a time (BACKEND_TRAITS in engine/backend.ts). */
  rowAlignment: number;
}

/** Where a split batch's phase time went: the main thread's share, its wait for the workers, each worker. */
export interface PhaseTiming {
  mainMs: number;
  waitMs: number;
  workers: { phasesMs: number; weightsMs: number }[];
}

/**
 * The phases of one batch, its rows split across the main thread and the phase workers. Workers
 * get their share first, then the main thread computes its own while they run. `timing` is null
 * when the batch was not split (one thread, or a single row).
 */
export async function splitBatchPhases(
  ctx: PhaseContext,
  ops: Operators,
  request: PhaseRequest,
): Promise<{ result: PhaseResult; timing: PhaseTiming | null }> {
  const { network, params, pool } = ctx,
    epsilon = ctx.config.epsilon;
  const n0 = network.sizes[0],
    M = network.N - n0,
    nOut = network.sizes[network.K];
  const rows = request.x.length / n0;
  if (ctx.runner) return { result: await ctx.runner.run(network, params, ops, epsilon, request), timing: null };
  const parts = Math.min(rows, 1 + (pool?.size ?? 0));
  if (parts === 1) return { result: runPhases(network, params, ops, epsilon, request), timing: null };
  const bounds = splitRows(rows, parts, ctx.rowAlignment);
  const share = (k: number): PhaseRequest => ({
    ...request,
    x: request.x.slice(bounds[k] * n0, bounds[k + 1] * n0),
    initial: request.initial.slice(bounds[k] * M, bounds[k + 1] * M),
    target: request.target ? request.target.slice(bounds[k] * nOut, bounds[k + 1] * nOut) : null,
  });
  const remote = Array.from({ length: parts - 1 }, (_, k) => pool!.phases(k, share(k + 1)));
  const started = performance.now();
  const mine = runPhases(network, params, ops, epsilon, share(0));
  const mainDone = performance.now();
  const results = [mine, ...(await Promise.all(remote))];
  const timing: PhaseTiming = {
    mainMs: mainDone - started,
    waitMs: performance.now() - mainDone,
    workers: results.slice(1).map((r) => r.timing ?? { phasesMs: NaN, weightsMs: NaN }),
  };
  const free = new Float32Array(rows * M);
  const clamped = request.target ? new Float32Array(rows * M) : null;
  const clampedMirror = request.target && request.mirror ? new Float32Array(rows * M) : null;
  results.forEach((r, k) => {
    free.set(r.free, bounds[k] * M);
    if (clamped) clamped.set(r.clamped!, bounds[k] * M);
    if (clampedMirror) clampedMirror.set(r.clampedMirror!, bounds[k] * M);
  });
  return {
    result: { free, clamped, clampedMirror, freeStepsSum: results.reduce((sum, r) => sum + r.freeStepsSum, 0) },
    timing,
  };
}
