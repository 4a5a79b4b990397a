/**
 * The metric names a topology filter may use: those some stored topology has. A misspelt name used to
 * match nothing silently (an empty list that reads as "no topology is like that"); now it is a 400
 * naming `where` and listing the valid names, and GET /api/topologies/metric-names feeds the web's picker.
 */
import type { Store } from '../src/store/contract.js';
import { HttpError } from './http-errors.js';

export async function storedMetricNames(store: Pick<Store, 'listTopologies'>): Promise<string[]> {
  const names = new Set<string>();
  for (const t of await store.listTopologies({})) for (const name of Object.keys(t.metrics)) names.add(name);
  return [...names].sort((a, b) => a.localeCompare(b));
}

export async function checkMetricNames(store: Pick<Store, 'listTopologies'>, used: readonly string[]): Promise<void> {
  if (used.length === 0) return;
  const known = await storedMetricNames(store);
  const unknown = used.filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const valid = known.length ? known.join(', ') : 'none yet (build a topology with metrics first)';
  throw new HttpError(400, `eqprop/server: where: unknown metric ${unknown.map((n) => `'${n}'`).join(', ')}; `
    + `expected one of ${valid}`, 'where', `one of ${valid}`);
}
