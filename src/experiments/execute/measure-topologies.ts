/**
 * Measures what a study ranks: σ and ω (graph/metrics/small-world.ts) for every topology of a
 * sweep, with a bounded reference budget, before its runs train. A topology that already carries
 * small-world metrics (from an earlier measurement) is left as it is, so re-running resumes.
 */
import { computeMetrics } from '../../../graph/index.js';
import type { ResolvedSpec } from '../../../graph/index.js';
import type { Store } from '../../store/contract.js';
import { ensureSpecTopology } from './topology-source.js';
import type { TrainingJob } from '../plan/sweep-plan.js';

export interface SmallWorldBudget {
  /** Random and lattice reference graphs (each). */
  samples: number;
  /** Swap rounds per edge for each reference. */
  niter: number;
}

/** Adds σ/ω to a stored topology unless it has them; returns whether it measured. */
export async function measureSmallWorld(store: Store, id: string, budget: SmallWorldBudget): Promise<boolean> {
  const record = await store.getTopology(id);
  if (record.metrics['smallWorld.samples'] !== undefined) return false;
  const topology = await store.loadTopology(id);
  const smallWorld = { samples: budget.samples, randomNiter: budget.niter, latticeNiter: budget.niter };
  await store.setTopologyMetrics(id, computeMetrics(topology, { smallWorld }));
  return true;
}

/** Builds (when needed) and measures the topology of every job, each distinct spec once. */
export async function measureJobTopologies(
  store: Store,
  jobs: readonly TrainingJob[],
  budget: SmallWorldBudget,
  log: (line: string) => void,
): Promise<void> {
  const specs = new Map<string, ResolvedSpec>();
  for (const job of jobs) {
    const t = job.request.config.topology;
    if (t.kind === 'spec') specs.set(JSON.stringify(t.spec), t.spec);
  }
  let done = 0;
  for (const spec of specs.values()) {
    const id = await ensureSpecTopology(store, spec);
    const t0 = performance.now();
    const measured = await measureSmallWorld(store, id, budget);
    done++;
    if (measured) log(`measured σ/ω ${done}/${specs.size}  ${id}  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}
