/**
 * Evaluation (SPEC §3): free phases only, from (and back into) a dataset's persistent particles,
 * returning the error fraction (regression: the mean squared error). Batches are independent, so
 * with phase workers each thread takes whole batches: no rows to split, and each batch's numbers
 * are those of the main thread's. With a phase runtime of its own threads (ORT), a few batches at
 * a time go as one run instead.
 */
import { buildOperators, disposeOperators, type Operators } from './dynamics/operators.js';
import { runPhases, type PhaseRequest, type PhaseResult } from './phases.js';
import type { ParticleStore } from './particles.js';
import type { Dataset } from './mnist.js';
import { batchErrorSum, batchPixels } from './batches.js';
import type { PhaseContext } from './thread-split.js';

/** Batch i's free phase, starting from its stored particle (copies: it may go to a worker). */
function evalRequest(ctx: PhaseContext, d: Dataset, store: ParticleStore, i: number): PhaseRequest {
  const { batchSize, freeSteps, adaptive } = ctx.config;
  const size = batchSize * store.width;
  return {
    x: batchPixels(d, i, batchSize).slice(),
    initial: store.data.slice(i * size, (i + 1) * size),
    target: null,
    betaSigned: 0,
    mirror: false,
    feedback: null,
    freeSteps,
    clampedSteps: 0,
    adaptive: adaptive ?? null,
  };
}

/** Stores batch i's free equilibrium in its particle and returns its error sum (batches.ts). */
function finishEval(ctx: PhaseContext, d: Dataset, store: ParticleStore, i: number, result: PhaseResult): number {
  const { network, config } = ctx;
  store.data.set(result.free, i * config.batchSize * store.width);
  return batchErrorSum(result.free, d, i, config.batchSize, network.N - network.sizes[0], network.sizes[network.K]);
}

/** Error fraction of the network on `d`, every batch on the main thread. */
export function evaluateOnMainThread(ctx: PhaseContext, d: Dataset, store: ParticleStore): number {
  const { network, params, config } = ctx;
  const ops = buildOperators(network, params.weights, config.epsilon, ctx.layout);
  let errors = 0;
  for (let i = 0; i < store.batches; i++) {
    const result = runPhases(network, params, ops, config.epsilon, evalRequest(ctx, d, store, i));
    errors += finishEval(ctx, d, store, i, result);
  }
  disposeOperators(ops);
  return errors / (store.batches * store.batchSize);
}

/**
 * evaluateOnMainThread(), with consecutive batches handed to the main thread and each phase worker,
 * or, with a phase runner (ORT), `group` batches at a time as one run on its threads.
 */
export async function evaluateOnAllThreads(
  ctx: PhaseContext,
  d: Dataset,
  store: ParticleStore,
  group = EVAL_BATCHES_PER_RUN,
): Promise<number> {
  const { network, params, config, pool } = ctx;
  const ops = buildOperators(network, params.weights, config.epsilon, ctx.layout);
  if (ctx.runner) {
    try {
      return await evaluateInGroups(ctx, ops, d, store, group);
    } finally {
      disposeOperators(ops);
    }
  }
  const threads = 1 + (pool?.size ?? 0);
  let errors = 0;
  try {
    for (let first = 0; first < store.batches; first += threads) {
      const batches = Array.from({ length: Math.min(threads, store.batches - first) }, (_, k) => first + k);
      const remote = batches.slice(1).map((i, k) => pool!.phases(k, evalRequest(ctx, d, store, i)));
      const mine = runPhases(network, params, ops, config.epsilon, evalRequest(ctx, d, store, batches[0]));
      const results = [mine, ...(await Promise.all(remote))];
      for (const [k, r] of results.entries()) errors += finishEval(ctx, d, store, batches[k], r);
    }
  } finally {
    disposeOperators(ops);
  }
  return errors / (store.batches * store.batchSize);
}

/**
 * Evaluation batches per phase-runner run: their rows side by side make one bigger product per step
 * (rows are independent in the free phase, so only float32 rounding can differ). Measured with
 * bench/engine.ts on one ORT thread: 4 batches per run take 0.198 s per batch instead of 0.236 s
 * (layered) and 0.425 s instead of 0.531 s (p = 7.56 %).
 */
export const EVAL_BATCHES_PER_RUN = 4;

async function evaluateInGroups(
  ctx: PhaseContext,
  ops: Operators,
  d: Dataset,
  store: ParticleStore,
  group: number,
): Promise<number> {
  const { network, params, config } = ctx;
  const size = config.batchSize * store.width;
  let errors = 0;
  for (let first = 0; first < store.batches; first += group) {
    const batches = Array.from({ length: Math.min(group, store.batches - first) }, (_, k) => first + k);
    const requests = batches.map((i) => evalRequest(ctx, d, store, i));
    const joined = (parts: Float32Array[]) => {
      const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return all;
    };
    const request = {
      ...requests[0],
      x: joined(requests.map((r) => r.x)),
      initial: joined(requests.map((r) => r.initial)),
    };
    const result = await ctx.runner!.run(network, params, ops, config.epsilon, request);
    batches.forEach((i, k) => {
      const free = result.free.subarray(k * size, (k + 1) * size);
      errors += finishEval(ctx, d, store, i, { ...result, free, freeStepsSum: result.freeStepsSum / batches.length });
    });
  }
  return errors / (store.batches * store.batchSize);
}
