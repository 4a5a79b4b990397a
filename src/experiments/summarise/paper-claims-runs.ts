/**
 * The measured side of the paper's claims: the finished runs of a Fig. 4 and a Fig. 5 preset sweep,
 * read from the store as src/experiments/summarise/paper-claims.ts takes them.
 */
import { rateSummary } from '../../reports/series.js';
import type { Store } from '../../store/contract.js';
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

/** Fig. 5's runs: each network's n and p, and its training error counted during epoch 1. */
export async function fig5Runs(store: Store, sweepId: string): Promise<Fig5Run[]> {
  const runs = await store.listRuns({ sweepId, status: 'done' });
  const out: Fig5Run[] = [];
  for (const run of runs) {
    const { spec } = await store.getTopology(run.topologyId);
    const first = (await store.listEpochs(run.id)).find((e) => e.epoch === 1);
    if (!first) continue;
    const layered = spec.mode === 'layered';
    out.push({
      n: layered ? 0 : spec.n,
      p: layered ? 0 : spec.p,
      layered,
      seed: run.seed,
      trainError: first.trainError,
    });
  }
  return out;
}
