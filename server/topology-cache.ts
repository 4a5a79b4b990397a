/**
 * Loaded topologies with their explorer view and incidence lists, kept for the few most
 * recently viewed ids: the explorer asks for the graph and then for neuron after neuron of the
 * same topology. Loading and aggregating run in a worker thread (workers/load-topology.ts), so
 * opening the paper network does not stall other API requests.
 */
import type { Topology } from '../graph/index.js';
import type { Config } from '../src/config.js';
import { NotFoundError } from '../src/store/index.js';
import type { GraphView } from './graph-view.js';
import type { Incidence } from './incidence.js';
import { runWorker } from './run-worker.js';
import type { LoadReply } from './workers/load-topology.js';

export interface LoadedTopology {
  topology: Topology;
  view: GraphView;
  incidence: Incidence;
}

export class TopologyCache {
  private readonly entries = new Map<string, Promise<LoadedTopology>>();
  constructor(
    private readonly config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>,
    private readonly capacity = 3,
  ) {}

  get(id: string): Promise<LoadedTopology> {
    let hit = this.entries.get(id);
    if (hit) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    hit = runWorker<LoadReply>('load-topology', { config: this.config, id }).then((reply) => {
      if (reply.ok) return { topology: reply.topology, view: reply.view, incidence: reply.incidence };
      throw reply.notFound ? new NotFoundError('topology', id) : new Error(reply.message);
    });
    hit.catch(() => this.entries.delete(id));
    this.entries.set(id, hit);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return hit;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
