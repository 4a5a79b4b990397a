/**
 * Worker thread: load a topology from the store and prepare what the explorer needs — the
 * aggregated graph view and the per-neuron incidence lists. For the paper network that is a few
 * hundred milliseconds of decoding and counting the API's event loop does not have to spend.
 * Typed arrays go back to the main thread by transfer (no copy).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../src/store/index.js';
import type { Config } from '../../src/config.js';
import type { Topology } from '../../graph/index.js';
import { graphView, type GraphView } from '../graph-view.js';
import { buildIncidence, type Incidence } from '../incidence.js';

export interface LoadRequest {
  config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>;
  id: string;
}

export type LoadReply =
  | { ok: true; topology: Topology; view: GraphView; incidence: Incidence }
  | { ok: false; message: string; notFound: boolean };

async function run(request: LoadRequest): Promise<void> {
  const store = await openStore(request.config);
  let topology: Topology;
  try {
    topology = await store.loadTopology(request.id);
  } finally {
    await store.close();
  }
  const view = graphView(topology);
  const incidence = buildIncidence(topology.N, topology.edges);
  const { edges } = topology;
  const transfer = [
    edges.src.buffer,
    edges.dst.buffer,
    edges.weight.buffer,
    edges.kind.buffer,
    topology.biases.buffer,
    incidence.start.buffer,
    incidence.edges.buffer,
  ].filter((b, i, all): b is ArrayBuffer => b instanceof ArrayBuffer && all.indexOf(b) === i);
  parentPort!.postMessage({ ok: true, topology, view, incidence } satisfies LoadReply, transfer);
}

run(workerData as LoadRequest).catch((e: unknown) => {
  parentPort!.postMessage({
    ok: false,
    message: e instanceof Error ? e.message : String(e),
    notFound: (e as Error)?.name === 'NotFoundError',
  } satisfies LoadReply);
});
