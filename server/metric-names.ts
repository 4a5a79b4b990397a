/**
 * The metric names stored topologies have, for the web's searchable metric picker
 * (GET /api/topologies/metric-names). Unknown names in where= are refused by the metric-range parser
 * (src/experiments/summarise/metric-ranges.ts), which lists every name the topology layer computes.
 */
import type { Store } from '../src/store/index.js';

export async function storedMetricNames(store: Pick<Store, 'listTopologies'>): Promise<string[]> {
  const names = new Set<string>();
  for (const t of await store.listTopologies({})) for (const name of Object.keys(t.metrics)) names.add(name);
  return [...names].sort((a, b) => a.localeCompare(b));
}
