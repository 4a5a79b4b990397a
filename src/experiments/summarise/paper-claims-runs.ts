/**
 * The measured side of the paper's claims: the finished runs of a Fig. 4 and a Fig. 5 preset sweep,
 * read from the store as src/experiments/summarise/paper-claims.ts takes them.
 */
import { rateSummary } from '../../reports/series.js';
import type { RunRecord, Store } from '../../store/contract.js';
import { trainingIdentity } from '../reuse/finished-twins.js';
import type { TrainingJob } from '../plan/sweep-plan.js';
import type { Fig4Network, Fig4Run, Fig5Run } from './paper-claims.js';

const FIG4_NETWORKS: readonly Fig4Network[] = ['layered-one-rate', 'layered-per-layer', 'skipping-one-rate'];

/** Fig. 4's runs: a preset run id is `<sweep>.<network>[.s<seed>]`. */
export async function fig4Runs(store: Store, sweepId: string): Promise<Fig4Run[]> {
  const runs = (await store.listRuns({ sweepId, status: 'done' })).sort((a, b) => a.id.localeCompare(b.id));
  const out: Fig4Run[] = [];
  for (const run of runs) {
    const network = run.id.slice(sweepId.length + 1).split('.')[0] as Fig4Network;
    if (!FIG4_NETWORKS.includes(network)) continue;
    out.push({ network, seed: run.seed, meanRates: rateSummary(await store.listRates(run.id)).meanRates });
  }
  return out;
}

/** A finished run as a Fig. 5 point: its n and p, and its training error counted during epoch 1. */
async function asFig5Run(store: Store, run: RunRecord): Promise<Fig5Run | null> {
  const { spec } = await store.getTopology(run.topologyId);
  const first = (await store.listEpochs(run.id)).find((e) => e.epoch === 1);
  if (!first) return null;
  const layered = spec.mode === 'layered';
  return { n: layered ? 0 : spec.n, p: layered ? 0 : spec.p, layered, seed: run.seed, trainError: first.trainError };
}

/** Fig. 5's runs: each network's n and p, and its training error counted during epoch 1. */
export async function fig5Runs(store: Store, sweepId: string): Promise<Fig5Run[]> {
  const out: Fig5Run[] = [];
  for (const run of await store.listRuns({ sweepId, status: 'done' })) {
    const point = await asFig5Run(store, run);
    if (point) out.push(point);
  }
  return out;
}

/**
 * What decides a run's training error: its training identity (the configuration without the backend,
 * src/experiments/reuse/finished-twins.ts) without the official-test evaluation either, which runs
 * after training and changes none of its numbers.
 */
function trainingKey(config: Record<string, unknown>): string {
  const { test: _test, ...trainedOn } = (config.data ?? {}) as Record<string, unknown>;
  return trainingIdentity({ ...config, data: trainedOn });
}

/**
 * Fig. 5's runs, completed by their twins in other sweeps: the layered one-rate network and the
 * p = 7.56 % network of Fig. 4 train exactly as Fig. 5's baseline and p = 7.56 % point do (Fig. 4
 * only skips the official test set), so a seed Fig. 4 has finished counts for Fig. 5 too instead of
 * being trained twice. A Fig. 5 job's own finished run always wins over a twin.
 */
export async function fig5RunsWithTwins(
  store: Store,
  fig5SweepId: string,
  fig5Jobs: readonly TrainingJob[],
  twinSweepIds: readonly string[],
): Promise<Fig5Run[]> {
  const own = await store.listRuns({ sweepId: fig5SweepId, status: 'done' });
  const covered = new Set(own.map((run) => trainingKey(run.config)));
  const wanted = new Set(fig5Jobs.map((job) => trainingKey(job.request.config as unknown as Record<string, unknown>)));
  const out = await fig5Runs(store, fig5SweepId);
  for (const sweepId of twinSweepIds) {
    for (const run of await store.listRuns({ sweepId, status: 'done' })) {
      const key = trainingKey(run.config);
      if (!wanted.has(key) || covered.has(key)) continue;
      const point = await asFig5Run(store, run);
      if (!point) continue;
      covered.add(key);
      out.push(point);
    }
  }
  return out;
}
