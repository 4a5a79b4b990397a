/**
 * Loaded topologies and their explorer views, kept for the few most recently viewed ids: loading
 * the paper network from the store and aggregating 1.27 M connections takes a noticeable moment,
 * and the explorer asks for the graph and then for neuron after neuron of the same topology.
 */
import type { Topology } from '../graph/types.js';
import type { Store } from '../src/store/contract.js';
import { graphView, type GraphView } from './graph-view.js';

interface Entry {
  topology: Topology;
  view: GraphView | null;
}

export class TopologyCache {
  private readonly entries = new Map<string, Promise<Entry>>();
  constructor(private readonly store: Store, private readonly capacity = 3) {}

  async topology(id: string): Promise<Topology> {
    return (await this.entry(id)).topology;
  }

  async view(id: string): Promise<GraphView> {
    const entry = await this.entry(id);
    entry.view ??= graphView(entry.topology);
    return entry.view;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  private entry(id: string): Promise<Entry> {
    let hit = this.entries.get(id);
    if (hit) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    hit = this.store.loadTopology(id).then((topology) => ({ topology, view: null }));
    hit.catch(() => this.entries.delete(id));
    this.entries.set(id, hit);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return hit;
  }
}
