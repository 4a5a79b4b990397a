/**
 * Which store a queue setup may use. Workers write results straight to the store, so every
 * worker must reach the same store. A SQLite file is only shared by processes on one machine;
 * Neo4j is a server every machine can reach. The rule, checked by `eqprop worker` and by
 * `eqprop sweep --queue`:
 *
 *   Redis on loopback (workers necessarily on this machine) → SQLite or Neo4j;
 *   Redis elsewhere (workers may be on other machines)      → Neo4j only.
 */
import { InputError } from '../../graph/errors.js';
import type { Config } from '../config.js';
import type { RedisAddress } from './redis-url.js';

export function assertStoreReachableByAllWorkers(redis: RedisAddress, config: Pick<Config, 'store' | 'sqlitePath'>): void {
  if (redis.loopback || config.store !== 'sqlite') return;
  throw new InputError(
    'queue',
    'store (--store / EQPROP_STORE)',
    `Redis at ${redis.display} is not on this machine, so workers may run on other machines, but the store is the SQLite file ${config.sqlitePath}, which only processes on this machine can write`,
    'the shared Neo4j store (--store neo4j with NEO4J_URI reachable from every machine), or a loopback Redis URL (redis://127.0.0.1:6379) for workers on this machine only',
  );
}
