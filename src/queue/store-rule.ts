/**
 * Which store a queue setup may use. Workers write results straight to the store, so every
 * worker must reach the same store. A SQLite file is only shared by processes on one machine;
 * Neo4j is a server every machine can reach. The rule, checked by `eqprop worker` and by
 * `eqprop sweep --queue`:
 *
 *   Redis on loopback (workers necessarily on this machine) → SQLite or Neo4j;
 *   Redis elsewhere (workers may be on other machines)      → Neo4j only.
 */
import { hostname } from 'node:os';
import { InputError, joinText, ref, text } from '../../lib/index.js';
import type { Config } from '../config.js';
import type { RedisAddress } from './redis-url.js';

export function assertStoreReachableByAllWorkers(
  redis: RedisAddress,
  config: Pick<Config, 'store' | 'sqlitePath'>,
): void {
  if (redis.loopback || config.store !== 'sqlite') return;
  throw new InputError(
    'queue',
    'store',
    `Redis at ${redis.display} is not on this machine, so workers may run on other machines, but the store is ` +
      `the SQLite file ${config.sqlitePath}, which only processes on this machine can write`,
    joinText(
      text`the shared Neo4j store (${ref('store')} neo4j with NEO4J_URI reachable from every machine), `,
      'or a loopback Redis URL (redis://127.0.0.1:6379) for workers on this machine only',
    ),
  );
}

/**
 * The store a job's results belong in, carried in the job. The URL rule above cannot see SSH
 * tunnels (a Redis on another machine reached through 127.0.0.1), so each worker also checks
 * every job: a SQLite job is only taken by a worker on the submitting machine with the same
 * file; a Neo4j job only by a worker on Neo4j (its URI may legitimately differ per machine).
 */
export type StoreIdentity = { kind: 'sqlite'; host: string; path: string } | { kind: 'neo4j' };

export function storeIdentity(config: Pick<Config, 'store' | 'sqlitePath'>, host = hostname()): StoreIdentity {
  return config.store === 'sqlite' ? { kind: 'sqlite', host, path: config.sqlitePath } : { kind: 'neo4j' };
}

function describeStore(s: StoreIdentity): string {
  return s.kind === 'sqlite' ? `the SQLite file ${s.path} on ${s.host}` : 'Neo4j';
}

/** Why this worker cannot write a job's results, or null when it can. */
export function storeMismatch(job: StoreIdentity, worker: StoreIdentity): string | null {
  const same =
    job.kind === 'neo4j'
      ? worker.kind === 'neo4j'
      : worker.kind === 'sqlite' && worker.host === job.host && worker.path === job.path;
  if (same) return null;
  return (
    `eqprop/queue: the run was submitted for ${describeStore(job)} but this worker writes to ` +
    `${describeStore(worker)}; expected workers configured with the submitter's store (for several machines: Neo4j)`
  );
}
