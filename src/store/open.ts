/**
 * Opens the store the configuration selects (EQPROP_STORE=sqlite|neo4j). The Neo4j adapter is
 * imported lazily so SQLite users never load the driver.
 */
import type { Config } from '../config.js';
import type { Store } from './contract.js';
import { SqliteStore } from './sqlite/store.js';

export async function openStore(config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>): Promise<Store> {
  if (config.store === 'neo4j') {
    const { Neo4jStore } = await import('./neo4j/store.js');
    return Neo4jStore.connect(config.neo4j);
  }
  return SqliteStore.open(config.sqlitePath);
}

/** Opens the store, runs fn with it and closes it whatever happens. */
export async function withOpenedStore<T>(
  config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
