/**
 * The phase runtime of the tfjs backends: the main thread, plus threads − 1 phase workers
 * (engine/worker-pool.ts) that each keep a copy of the weights and take a share of every batch's
 * rows.
 */
import type { BackendName, BackendTraits } from './backend.js';
import type { PhaseRuntime, PhaseRuntimeSetup } from './phase-runtime.js';
import { WorkerPool } from './worker-pool.js';

export async function startTfjsPhases(
  backend: string,
  traits: BackendTraits,
  setup: PhaseRuntimeSetup,
): Promise<PhaseRuntime> {
  const { threads, network, epsilon, layout } = setup;
  // Workers initialise the backend by its name; a backend set directly on tfjs is passed as it is.
  let pool =
    threads === 1 ? null : await WorkerPool.start(threads - 1, backend as BackendName, network, epsilon, layout);
  return {
    threads,
    get pool() {
      return pool;
    },
    runner: null,
    rowAlignment: traits.rowAlignment,
    setParameters(params) {
      pool?.setWeights(
        params.weights.map((w) => w.dataSync() as Float32Array),
        params.biases.map((b) => b.dataSync() as Float32Array),
      );
    },
    stats: () => null,
    dispose() {
      void pool?.close();
      pool = null;
    },
  };
}
