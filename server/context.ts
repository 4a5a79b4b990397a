/** What every route handler may use: the configuration, the store, the job manager and caches. */
import type { Config } from '../src/config.js';
import type { Store } from '../src/store/contract.js';
import type { JobManager } from './jobs/manager.js';
import type { TopologyCache } from './topology-cache.js';
import type { CypherConsole } from './cypher-console.js';

export interface ServerContext {
  config: Config;
  store: Store;
  jobs: JobManager;
  topologies: TopologyCache;
  /** Present only when the store is Neo4j. */
  cypher: CypherConsole | null;
  startedAt: number;
  version: string;
}
