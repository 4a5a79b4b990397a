/**
 * Reusing finished runs: a job whose training is exactly that of a run already done in another
 * sweep (the same configuration, the backend aside: it changes float rounding, not the experiment)
 * is filed as a copy of that run instead of being trained again. The presets lean on this: the
 * layered one-rate network and the p = 7.56 % network of Fig. 4 are also points of Fig. 5, and at
 * the paper's scale each costs up to an hour.
 */
import type { RunRecord, Store } from '../store/contract.js';
import { canonicalJson } from './ids.js';
import type { TrainingJob } from './sweep-plan.js';

/** What decides a run's numbers: its stored configuration without the backend choice. */
export function trainingIdentity(config: Record<string, unknown>): string {
  const { backend: _backend, ...rest } = config;
  return canonicalJson(rest);
}

/** Copies a finished run's record, epochs and rates under the job's id; the copy names its source in `worker`. */
async function copyRun(store: Store, source: RunRecord, job: TrainingJob): Promise<void> {
  const { runId, sweepId, config } = job.request;
  // Filed as queued first: a copy cut short is not 'done', so the executor trains it instead.
  await store.createRun({ id: runId, topologyId: source.topologyId, sweepId, config: config as unknown as Record<string, unknown>, seed: source.seed, status: 'queued' });
  for (const epoch of await store.listEpochs(source.id)) await store.addEpoch(runId, epoch);
  const rates = await store.listRates(source.id);
  for (let i = 0; i < rates.length; i += 10_000) await store.addRates(runId, rates.slice(i, i + 10_000));
  await store.updateRun(runId, {
    status: 'done', backend: source.backend, worker: `copy of ${source.id}`, startedAt: source.startedAt, finishedAt: source.finishedAt,
  });
}

/**
 * Files, for every job that has no run yet, a copy of a finished run with the same training;
 * returns the ids of the jobs so filed (they are then done like any finished run).
 */
export async function adoptFinishedTwins(store: Store, jobs: readonly TrainingJob[], onReused?: (job: TrainingJob, sourceRunId: string) => void): Promise<string[]> {
  const existing = new Set<string>();
  for (const job of jobs) {
    if ((await store.listRuns({ sweepId: job.request.sweepId })).some((r) => r.id === job.request.runId)) existing.add(job.request.runId);
  }
  const open = jobs.filter((j) => !existing.has(j.request.runId));
  if (open.length === 0) return [];
  const done = new Map<string, RunRecord>();
  for (const run of await store.listRuns({ status: 'done' })) {
    const key = trainingIdentity(run.config);
    if (!done.has(key)) done.set(key, run);
  }
  const adopted: string[] = [];
  for (const job of open) {
    const source = done.get(trainingIdentity(job.request.config as unknown as Record<string, unknown>));
    if (!source) continue;
    await copyRun(store, source, job);
    onReused?.(job, source.id);
    adopted.push(job.request.runId);
  }
  return adopted;
}
