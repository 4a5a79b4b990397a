/** Runs, their epochs and rate series; sweeps; the correlation table. */
import type { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.js';
import { correlationQuery, predictorQuery, ratesQuery, runListQuery, weightsQuery } from '../schemas.js';
import { runWeights } from '../run-weights.js';
import { predictorDocument } from '../../src/experiments/index.js';
import { parseOutcomes } from '../../src/experiments/index.js';
import { downsampleRates } from '../rate-series.js';
import type { RunFilter } from '../../src/store/index.js';
import { summariseRuns } from '../../src/experiments/index.js';

type Id = z.infer<typeof idParams>;

export const runRoutes: Route[] = [
  defineRoute<Record<string, never>, z.output<typeof runListQuery>>({
    method: 'get',
    path: '/api/runs',
    tag: 'runs',
    summary: 'List runs, by topology, sweep or status',
    query: runListQuery,
    responds: { status: 200, description: 'Run records' },
    handle: ({ query }, ctx) => ctx.store.listRuns(query as RunFilter),
  }),
  // Before /api/runs/:id, which would otherwise take "summaries" for an id.
  defineRoute<Record<string, never>, z.output<typeof runListQuery>>({
    method: 'get',
    path: '/api/runs/summaries',
    tag: 'runs',
    summary:
      'One row per run for the run table: topology (mode, sizes, p, n, seed), epochs done/planned, last errors, ' +
      'mean free steps, duration',
    query: runListQuery,
    responds: { status: 200, description: 'Run summaries (src/experiments/summarise/run-summary.ts), newest first' },
    handle: async ({ query }, ctx) => {
      const runs = await ctx.store.listRuns(query as RunFilter);
      return (await summariseRuns(ctx.store, runs)).reverse();
    },
  }),
  defineRoute<Id>({
    method: 'get',
    path: '/api/runs/:id',
    tag: 'runs',
    summary: 'One run record',
    params: idParams,
    responds: { status: 200, description: 'The run' },
    handle: ({ params }, ctx) => ctx.store.getRun(params.id),
  }),
  defineRoute<Id>({
    method: 'get',
    path: '/api/runs/:id/epochs',
    tag: 'runs',
    summary: 'Per-epoch results of a run (train, evaluation, test error, duration)',
    params: idParams,
    responds: { status: 200, description: 'Epoch results in order' },
    handle: async ({ params }, ctx) => {
      await ctx.store.getRun(params.id);
      return ctx.store.listEpochs(params.id);
    },
  }),
  defineRoute<Id, z.output<typeof ratesQuery>>({
    method: 'get',
    path: '/api/runs/:id/rates',
    tag: 'runs',
    summary:
      'Per-layer training rate series (SPEC §5 eq. 2), optionally batches [from, to) only, averaged into at most ' +
      'maxPoints bins per layer pair',
    params: idParams,
    query: ratesQuery,
    responds: { status: 200, description: '{ binWidth, points: [{ batch, pair, rate }] }' },
    handle: async ({ params, query }, ctx) => {
      await ctx.store.getRun(params.id);
      const all = await ctx.store.listRates(params.id);
      const lo = query.from ?? 0;
      const hi = query.to ?? Infinity;
      return downsampleRates(
        lo === 0 && hi === Infinity ? all : all.filter((r) => r.batch >= lo && r.batch < hi),
        query.maxPoints,
      );
    },
  }),
  defineRoute<Id, z.output<typeof weightsQuery>>({
    method: 'get',
    path: '/api/runs/:id/weights',
    tag: 'runs',
    summary:
      "The run's trained weights from its checkpoint: |w| per block, and the skip connections with " +
      '|w| ≥ minAbs, strongest first, at most limit',
    params: idParams,
    query: weightsQuery,
    responds: {
      status: 200,
      description: '{ runId, epoch, blocks, skip: { src, dst, weight }, matched, totalSkip, truncated }',
    },
    handle: async ({ params, query }, ctx) => runWeights(await ctx.store.getRun(params.id), query.minAbs, query.limit),
  }),
  defineRoute({
    method: 'get',
    path: '/api/sweeps',
    tag: 'sweeps',
    summary: 'List sweeps',
    responds: { status: 200, description: 'Sweep records' },
    handle: (_in, ctx) => ctx.store.listSweeps(),
  }),
  defineRoute<Id>({
    method: 'get',
    path: '/api/sweeps/:id',
    tag: 'sweeps',
    summary: 'One sweep with its runs',
    params: idParams,
    responds: { status: 200, description: '{ sweep, runs }' },
    handle: async ({ params }, ctx) => ({
      sweep: await ctx.store.getSweep(params.id),
      runs: await ctx.store.listRuns({ sweepId: params.id, limit: 10_000 }),
    }),
  }),
  defineRoute<Record<string, never>, z.output<typeof correlationQuery>>({
    method: 'get',
    path: '/api/correlations',
    tag: 'runs',
    summary: "The correlation table: each run's topology metrics beside its outcome (for a sweep or all runs)",
    query: correlationQuery,
    responds: { status: 200, description: 'Correlation rows' },
    handle: async ({ query }, ctx) => {
      if (query.sweepId !== undefined) await ctx.store.getSweep(query.sweepId);
      return ctx.store.correlationTable(query);
    },
  }),
  defineRoute<Record<string, never>, z.output<typeof predictorQuery>>({
    method: 'get',
    path: '/api/predictors',
    tag: 'runs',
    summary:
      'Which statistic predicts the error: metrics and early predictors ranked across topology configurations ' +
      '(the same document as eqprop predictors --json)',
    query: predictorQuery,
    responds: {
      status: 200,
      description: '{ runs, topologies, control, pooled, rows, configurations }, rows sorted by |Spearman|',
    },
    handle: async ({ query }, ctx) => {
      const outcomes = parseOutcomes(query.outcome, 'outcome');
      const selection =
        query.sweep !== undefined
          ? { sweepId: query.sweep, earlyBatches: query.earlyBatches }
          : { runIds: query.runs!.split(','), earlyBatches: query.earlyBatches };
      return predictorDocument(ctx.store, selection, {
        outcomes,
        pool: query.pool ?? false,
        resamples: query.resamples,
      });
    },
  }),
];
