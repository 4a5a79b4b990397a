/**
 * Topologies newest first, at most `limit` of them, as `eqprop topology list` and GET /api/topologies
 * promise. The store contract does not fix an order (SQLite answers oldest first and applies LIMIT
 * there, so `--limit 3` used to give the 3 oldest): the filter runs in the store without the limit,
 * and the order and the limit are applied here, whatever the store's internals.
 */
import type { Store, TopologyFilter, TopologyRecord } from '../../store/contract.js';

export function newestFirst(a: TopologyRecord, b: TopologyRecord): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

export async function listTopologiesNewestFirst(
  store: Pick<Store, 'listTopologies'>,
  filter: TopologyFilter,
): Promise<TopologyRecord[]> {
  const { limit, ...rest } = filter;
  const all = await store.listTopologies(rest);
  const sorted = all.sort(newestFirst);
  return limit === undefined ? sorted : sorted.slice(0, limit);
}
