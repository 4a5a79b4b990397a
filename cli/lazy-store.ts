/**
 * withOpenedStore (src/store/open.ts) with the store modules imported on first use: they pull in
 * native SQLite (and the Neo4j driver), which commands should not pay for when they only print
 * help or reject a flag.
 */
import type { Config } from '../src/config.js';
import type { Store } from '../src/store/index.js';

export async function withLazilyLoadedStore<T>(
  config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>,
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const open = await import('../src/store/index.js');
  return open.withOpenedStore(config, fn);
}
