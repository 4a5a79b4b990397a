/**
 * Worker thread: build a topology, compute its metrics and save it. Building the paper network
 * and its exact path-length metrics takes seconds of CPU, which must not stall the API, so this
 * runs off the main thread with its own store connection (the stores allow concurrent writers).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildTopology, computeMetrics } from '../../graph/index.js';
import type { TopologySpec } from '../../graph/index.js';
import { InputError } from '../../lib/index.js';
import { openStore } from '../../src/store/index.js';
import { topologyIdFor } from '../../src/experiments/index.js';
import type { Config } from '../../src/config.js';

export interface BuildRequest {
  config: Pick<Config, 'store' | 'sqlitePath' | 'neo4j'>;
  spec: TopologySpec;
  name: string | null;
  metrics: boolean;
  smallWorldSamples: number;
}

export type BuildReply =
  | { ok: true; id: string; buildMs: number; metricsMs: number; saveMs: number }
  | { ok: false; message: string; field: string | null; expected: string | null; input: boolean };

async function run(request: BuildRequest): Promise<BuildReply> {
  const t0 = performance.now();
  const topology = buildTopology(request.spec);
  const t1 = performance.now();
  const metrics = request.metrics
    ? computeMetrics(
        topology,
        request.smallWorldSamples > 0 ? { smallWorld: { samples: request.smallWorldSamples } } : {},
      )
    : {};
  const t2 = performance.now();
  const store = await openStore(request.config);
  try {
    // The deterministic id of this spec and seed (as `eqprop train` and sweeps use): building the
    // same spec again returns the stored topology instead of a second copy.
    const id = await store.saveTopology(topology, { id: topologyIdFor(topology.spec), name: request.name, metrics });
    return { ok: true, id, buildMs: t1 - t0, metricsMs: t2 - t1, saveMs: performance.now() - t2 };
  } finally {
    await store.close();
  }
}

run(workerData as BuildRequest).then(
  (reply) => parentPort!.postMessage(reply),
  (e: unknown) =>
    parentPort!.postMessage({
      ok: false,
      message: e instanceof Error ? e.message : String(e),
      field: e instanceof InputError ? e.field : null,
      expected: e instanceof InputError ? e.expected : null,
      input: e instanceof InputError,
    } satisfies BuildReply),
);
