/** What every route handler may use: the configuration, the store, the job manager and caches. */
import type { Config } from '../src/config.js';
import type { Store } from '../src/store/index.js';
import type { JobManager } from './jobs/manager.js';
import type { TopologyCache } from './topology-cache.js';
import type { CypherConsole } from './cypher-console.js';
import type { BuildSlots } from './build-limits.js';

export interface ServerContext {
  config: Config;
  store: Store;
  jobs: JobManager;
  topologies: TopologyCache;
  /** Topology builds in flight, with the size, concurrency and time limits they run under. */
  builds: BuildSlots;
  /** Present only when the store is Neo4j. */
  cypher: CypherConsole | null;
  startedAt: number;
  version: string;
}
