/** Topologies: list with parameter and metric-range filters, build, get, delete, explorer views. */
import type { z } from 'zod';
import type { TopologyFilter, NumberRange } from '../../src/store/index.js';
import type { TopologySpec } from '../../graph/index.js';
import { validateSpec } from '../../graph/index.js';
import { parseMetricRanges } from '../../src/experiments/index.js';
import { defineRoute, idParams, type Route } from '../route.js';
import {
  buildTopologyBody,
  neuronParams,
  topologyListQuery,
  type BuildTopologyBody,
  type TopologyListQuery,
} from '../schemas.js';
import { buildInWorker } from '../build-topology.js';
import { neuronView } from '../graph-view.js';
import { HttpError } from '../http-errors.js';
import { checkBuildSize } from '../build-limits.js';
import type { ServerContext } from '../context.js';
import { NotFoundError, type TopologyRecord } from '../../src/store/index.js';
import { topologyIdFor } from '../../src/experiments/index.js';
import { deleteTopologyWithRuns, TopologyInUseError } from '../../src/experiments/index.js';
import type { Response } from 'express';
import { listTopologiesNewestFirst } from '../../src/experiments/index.js';
import { storedMetricNames } from '../metric-names.js';

function range(min: number | undefined, max: number | undefined): NumberRange | undefined {
  return min === undefined && max === undefined
    ? undefined
    : { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** The list query → the store's TopologyFilter. */
export function filterFromQuery(q: TopologyListQuery): TopologyFilter {
  const filter: TopologyFilter = { limit: q.limit };
  if (q.mode !== undefined) filter.mode = q.mode as TopologyFilter['mode'];
  if (q.sizes !== undefined) filter.sizes = q.sizes.split(',').map(Number);
  if (q.seed !== undefined) filter.seed = q.seed;
  const p = range(q.pMin, q.pMax);
  if (p) filter.p = p;
  const n = range(q.nMin, q.nMax);
  if (n) filter.n = n;
  if (q.where !== undefined) {
    // The CLI's parser (no prototype, known names only): an unknown metric is a 400 listing the names.
    const metrics = parseMetricRanges(q.where, 'where');
    for (const name of Object.keys(metrics)) if (!range(metrics[name].min, metrics[name].max)) delete metrics[name];
    filter.metrics = metrics;
  }
  return filter;
}

async function findTopology(ctx: ServerContext, id: string): Promise<TopologyRecord | null> {
  try {
    return await ctx.store.getTopology(id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/**
 * A POST of a spec that is already stored: 200 with the stored record when the request names it
 * the same or not at all; 409 with the stored id and name when it asks for another name.
 */
function answerExisting(existing: TopologyRecord, name: string | null, res: Response): undefined {
  if (name !== null && name !== existing.name) {
    const has = existing.name === null ? 'no name' : `the name ${JSON.stringify(existing.name)}`;
    throw new HttpError(
      409,
      `eqprop/server: name: topology ${existing.id} with this spec and seed already exists with ` +
        `${has}; expected no name or its own name to get it (a topology is stored once)`,
      'name',
      existing.name === null ? 'no name' : JSON.stringify(existing.name),
      { id: existing.id, name: existing.name },
    );
  }
  res.status(200).json(existing);
  return undefined;
}

export const topologyRoutes: Route[] = [
  defineRoute<Record<string, never>, TopologyListQuery>({
    method: 'get',
    path: '/api/topologies',
    tag: 'topologies',
    summary:
      'List topologies, filtered by mode, sizes, seed, p and n ranges and metric ranges (where=L:1.5:2.1,C::0.4)',
    query: topologyListQuery,
    responds: { status: 200, description: 'Topology records (newest first)' },
    handle: ({ query }, ctx) => listTopologiesNewestFirst(ctx.store, filterFromQuery(query)),
  }),
  // Before /api/topologies/:id, which would otherwise take "metric-names" for an id.
  defineRoute({
    method: 'get',
    path: '/api/topologies/metric-names',
    tag: 'topologies',
    summary: 'The metric names stored topologies have (what where= accepts)',
    responds: { status: 200, description: 'Metric names, sorted' },
    handle: (_in, ctx) => storedMetricNames(ctx.store),
  }),
  defineRoute<Record<string, never>, Record<string, never>, BuildTopologyBody>({
    method: 'post',
    path: '/api/topologies',
    tag: 'topologies',
    summary: 'Validate a spec, build the topology, compute its metrics and save it (in a worker thread)',
    body: buildTopologyBody,
    responds: { status: 201, description: 'The saved topology record' },
    handle: async ({ body }, ctx, _req, res) => {
      const optional = {
        n: body.n,
        p: body.p,
        spanMin: body.spanMin,
        spanMax: body.spanMax,
        targetLayer: body.targetLayer,
        skipBound: body.skipBound,
      };
      const spec: TopologySpec = {
        sizes: body.sizes,
        mode: body.mode as TopologySpec['mode'],
        seed: body.seed,
        ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      };
      // Fail fast with the topology layer's own message (400; the body's fields are the spec's,
      // so it names them), then the size limits, before a worker starts.
      const resolved = validateSpec(spec);
      checkBuildSize(resolved, ctx.builds.limits);
      // The same spec and seed is stored once (its id is deterministic): answer with it rather than
      // building again, and never drop a name silently.
      const existing = await findTopology(ctx, topologyIdFor(resolved));
      if (existing) return answerExisting(existing, body.name ?? null, res);
      const request = {
        config: { store: ctx.config.store, sqlitePath: ctx.config.sqlitePath, neo4j: ctx.config.neo4j },
        spec,
        name: body.name ?? null,
        metrics: body.metrics,
        smallWorldSamples: body.smallWorldSamples,
      };
      const { id } = await ctx.builds.run(() => buildInWorker(request, ctx.builds.limits.timeoutMs));
      const saved = await ctx.store.getTopology(id);
      // Another request stored the same spec meanwhile: its name stands, ours is not dropped silently.
      const name = body.name ?? null;
      if (name !== null && saved.name !== name) return answerExisting(saved, name, res);
      res.status(201).json(saved);
      return undefined;
    },
  }),
  defineRoute<z.infer<typeof idParams>>({
    method: 'get',
    path: '/api/topologies/:id',
    tag: 'topologies',
    summary: 'One topology record (spec, counts, metrics)',
    params: idParams,
    responds: { status: 200, description: 'The topology record' },
    handle: ({ params }, ctx) => ctx.store.getTopology(params.id),
  }),
  defineRoute<z.infer<typeof idParams>>({
    method: 'delete',
    path: '/api/topologies/:id',
    tag: 'topologies',
    summary:
      'Delete a topology with its runs, epochs, rate series and checkpoint files; ' +
      '409 while a run on it trains or is queued',
    params: idParams,
    responds: { status: 204, description: 'Deleted' },
    handle: async ({ params }, ctx, _req, res) => {
      try {
        await deleteTopologyWithRuns(ctx.store, params.id);
      } catch (e) {
        if (!(e instanceof TopologyInUseError)) throw e;
        throw new HttpError(409, e.message, 'id', e.expected, { runs: e.runs });
      }
      ctx.topologies.forget(params.id);
      res.status(204).end();
    },
  }),
  defineRoute<z.infer<typeof idParams>>({
    method: 'get',
    path: '/api/topologies/:id/metrics',
    tag: 'topologies',
    summary: 'The graph metrics of a topology',
    params: idParams,
    responds: { status: 200, description: 'Metric name → value' },
    handle: async ({ params }, ctx) => (await ctx.store.getTopology(params.id)).metrics,
  }),
  defineRoute<z.infer<typeof idParams>>({
    method: 'get',
    path: '/api/topologies/:id/graph',
    tag: 'topologies',
    summary: 'Explorer view: layer sizes, per-layer-pair aggregates, every skip connection, degrees per neuron',
    params: idParams,
    responds: { status: 200, description: 'The compact graph view' },
    handle: async ({ params }, ctx) => {
      await ctx.store.getTopology(params.id); // 404 before loading
      return (await ctx.topologies.get(params.id)).view;
    },
  }),
  defineRoute<z.infer<typeof neuronParams>>({
    method: 'get',
    path: '/api/topologies/:id/neurons/:neuron',
    tag: 'topologies',
    summary: 'One neuron: layer, degree by kind, connections per layer, skip neighbours',
    params: neuronParams,
    responds: { status: 200, description: 'The neuron view' },
    handle: async ({ params }, ctx) => {
      await ctx.store.getTopology(params.id); // unknown id → 404 here, before a worker thread starts
      const { topology, incidence } = await ctx.topologies.get(params.id);
      if (params.neuron >= topology.N) {
        throw new HttpError(
          404,
          `eqprop/server: neuron: ${params.neuron} is not a neuron of this topology; expected an integer in [0, ` +
            `${topology.N - 1}]`,
          'neuron',
          `an integer in [0, ${topology.N - 1}]`,
        );
      }
      return neuronView(topology, params.neuron, 500, incidence);
    },
  }),
];
