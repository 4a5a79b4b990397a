/**
 * Short ids in the API (src/store/resolve-id.ts): the `:id` of /api/runs/:id…, /api/sweeps/:id…
 * and /api/topologies/:id…, and the `sweepId` / `topologyId` filters of queries, may be any unique
 * prefix. Resolved once here, before the handler runs, so every handler sees full ids and the
 * caches keyed by id (topology views) never hold the same entity twice.
 */
import { NotFoundError, type IdEntity, type Store } from '../src/store/index.js';
import { resolveId } from '../src/store/index.js';

const PATH_ENTITY: [RegExp, IdEntity][] = [
  [/^\/api\/runs\/:id(\/|$)/, 'run'],
  [/^\/api\/sweeps\/:id(\/|$)/, 'sweep'],
  [/^\/api\/topologies\/:id(\/|$)/, 'topology'],
];

/** Query fields that filter by an existing entity (never fields that create one, as in job bodies). */
const QUERY_ENTITY: [string, IdEntity][] = [
  ['runId', 'run'],
  ['sweepId', 'sweep'],
  ['topologyId', 'topology'],
];

export async function resolvePathIds(method: string, routePath: string, params: unknown, store: Store): Promise<void> {
  // Only reads take prefixes: a DELETE (or any other change) must name its target in full.
  if (method !== 'get') return;
  const entity = PATH_ENTITY.find(([pattern]) => pattern.test(routePath))?.[1];
  const p = params as { id?: unknown };
  if (entity && typeof p?.id === 'string') p.id = await resolveId(store, entity, p.id, 'id');
}

export async function resolveQueryIds(method: string, query: unknown, store: Store): Promise<void> {
  if (method !== 'get' || !query || typeof query !== 'object') return;
  const q = query as Record<string, unknown>;
  for (const [field, entity] of QUERY_ENTITY) {
    const value = q[field];
    if (typeof value !== 'string') continue;
    // A filter naming nothing keeps its old meaning (an empty list, or the route's own 404).
    try {
      q[field] = await resolveId(store, entity, value, field);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
    }
  }
}
