/**
 * The runs a predictor ranking reads (src/stats/predictors.ts), from the store: a sweep's or a
 * study's finished runs, or runs named by id. Each carries its topology's defined metrics, the
 * early predictors of its rate series, and its final training, held-out and test errors.
 */
import { InputError } from '../../../lib/index.js';
import { familyKey } from '../../../graph/index.js';
import type { ResolvedSpec } from '../../../graph/index.js';
import type { EpochResult, Metrics, RatePoint, RunRecord, Store } from '../../store/contract.js';
import { earlyPredictors, DEFAULT_EARLY_BATCHES, type PredictorRun } from '../../stats/index.js';

export interface PredictorSelection {
  sweepId?: string;
  runIds?: readonly string[];
  /** K of the early predictors (first K batches). */
  earlyBatches?: number;
}

/**
 * The metrics that are defined for this topology. σ and ω stored as numbers for a graph without
 * triangles (older stores wrote 0 for a layered net) are left out: small-worldness is undefined there.
 */
export function definedMetrics(metrics: Metrics): Metrics {
  const out: Metrics = {};
  for (const [name, value] of Object.entries(metrics)) if (Number.isFinite(value)) out[name] = value;
  if (out.transitivity === 0) delete out.sigma;
  if (out.C === 0) delete out.omega;
  return out;
}

async function runsOf(store: Store, selection: PredictorSelection): Promise<RunRecord[]> {
  if (selection.sweepId !== undefined) {
    await store.getSweep(selection.sweepId);
    return store.listRuns({ sweepId: selection.sweepId, status: 'done' });
  }
  const ids = selection.runIds ?? [];
  if (ids.length === 0) throw new InputError('experiments', 'runs', 'no runs given', 'a sweep or study id, or run ids');
  return Promise.all(
    ids.map(async (id) => {
      const run = await store.getRun(id);
      if (run.status !== 'done')
        throw new InputError('experiments', 'runs', `run ${id} is ${run.status}`, 'finished runs (status done)');
      return run;
    }),
  );
}

/** One finished run as the ranking reads it; null when it has no epoch yet. */
export function predictorRunOf(
  run: RunRecord,
  topology: { spec: ResolvedSpec; metrics: Metrics },
  epochs: readonly EpochResult[],
  rates: readonly RatePoint[],
  earlyBatches = DEFAULT_EARLY_BATCHES,
): PredictorRun | null {
  const last = epochs[epochs.length - 1];
  if (!last) return null;
  const spec = topology.spec;
  return {
    runId: run.id,
    topologyId: run.topologyId,
    family: spec.mode === 'layered' ? 'layered' : familyKey(spec),
    sizes: spec.sizes,
    budget: spec.n,
    seed: run.seed,
    metrics: { ...definedMetrics(topology.metrics), ...earlyPredictors(rates, earlyBatches) },
    outcomes: { trainError: last.trainError, evalError: last.evalError, testError: last.testError ?? null },
  };
}

export async function collectPredictorRuns(store: Store, selection: PredictorSelection): Promise<PredictorRun[]> {
  const runs = await runsOf(store, selection);
  const topologies = new Map<string, { spec: ResolvedSpec; metrics: Metrics }>();
  const out: PredictorRun[] = [];
  for (const run of runs) {
    let topology = topologies.get(run.topologyId);
    if (!topology) {
      topology = await store.getTopology(run.topologyId);
      topologies.set(run.topologyId, topology);
    }
    const [epochs, rates] = await Promise.all([store.listEpochs(run.id), store.listRates(run.id)]);
    const row = predictorRunOf(run, topology, epochs, rates, selection.earlyBatches);
    if (row) out.push(row);
  }
  return out;
}
