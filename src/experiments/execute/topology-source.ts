/**
 * Gets a run's topology into the store: a stored one by id, or one built from a resolved spec
 * under its deterministic id (graph/ builds it; the same spec always gives the same graph, so
 * a topology that is already stored is reused, never rebuilt). Metrics are computed once, when
 * the topology is first stored, so sweep reports can correlate them with outcomes.
 */
import { buildTopology } from '../../../graph/index.js';
import { computeMetrics } from '../../../graph/index.js';
import type { ResolvedSpec } from '../../../graph/index.js';
import { buildableSpec } from '../../../graph/index.js';
import { NotFoundError, type Store, type TopologyRecord } from '../../store/contract.js';
import { topologyIdFor } from '../plan/ids.js';
import type { TopologySource } from '../plan/run-config.js';

async function findTopology(store: Store, id: string): Promise<TopologyRecord | null> {
  try {
    return await store.getTopology(id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** Builds and stores the topology of `spec` unless it is stored already; returns its id. */
export async function ensureSpecTopology(store: Store, spec: ResolvedSpec): Promise<string> {
  const id = topologyIdFor(spec);
  if (await findTopology(store, id)) return id;
  const topology = buildTopology(buildableSpec(spec));
  const metrics = computeMetrics(topology);
  try {
    await store.saveTopology(topology, { id, metrics });
  } catch (e) {
    // Another process (a parallel sweep worker) stored the same deterministic topology first.
    if (!(await findTopology(store, id))) throw e;
  }
  return id;
}

/** The stored topology's id for a run's topology source (building it if needed). */
export async function resolveTopologySource(store: Store, source: TopologySource): Promise<string> {
  if (source.kind === 'stored') {
    await store.getTopology(source.id); // NotFoundError names the id
    return source.id;
  }
  return ensureSpecTopology(store, source.spec);
}
