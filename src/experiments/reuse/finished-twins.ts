/**
 * Reusing finished runs: a job whose training is exactly that of a run already done in another
 * sweep (the same configuration, the backend aside: it changes float rounding, not the experiment)
 * is filed as a copy of that run instead of being trained again. The presets lean on this: the
 * layered one-rate network and the p = 7.56 % network of Fig. 4 are also points of Fig. 5, and at
 * the paper's scale each costs up to an hour.
 */
import type { EpochResult, RunRecord, Store } from '../../store/contract.js';
import { workerName } from '../execute/worker-name.js';
import { canonicalJson } from '../plan/ids.js';
import type { TrainingJob } from '../plan/sweep-plan.js';

/** What decides a run's numbers: its stored configuration without the backend choice. */
export function trainingIdentity(config: Record<string, unknown>): string {
  const { backend: _backend, ...rest } = config;
  return canonicalJson(rest);
}

/**
 * Copies a finished run's record, epochs and rates under the job's id; the copy names its source in
 * `worker`. The new run is claimed like a training run before anything is copied (so a sweep process
 * that claims it first trains it instead, and no two writers mix), and a copy cut short stays a
 * claimed, unfinished run of a dead process, which is trained on the next pass. False when another
 * process claimed it first.
 */
async function copyRun(store: Store, source: RunRecord, epochs: EpochResult[], job: TrainingJob): Promise<boolean> {
  const { runId, sweepId, config } = job.request;
  await store.createRun({
    id: runId,
    topologyId: source.topologyId,
    sweepId,
    config: config as unknown as Record<string, unknown>,
    seed: source.seed,
    status: 'queued',
  });
  if (!(await store.claimRun(runId, { worker: workerName(), expectedStatuses: ['queued'], expectedWorker: null })))
    return false;
  for (const epoch of epochs) await store.addEpoch(runId, epoch);
  const rates = await store.listRates(source.id);
  for (let i = 0; i < rates.length; i += 10_000) await store.addRates(runId, rates.slice(i, i + 10_000));
  await store.updateRun(runId, {
    status: 'done',
    backend: source.backend,
    worker: `copy of ${source.id}`,
    startedAt: source.startedAt,
    finishedAt: source.finishedAt,
  });
  return true;
}

/**
 * Files, for every job that has no run yet, a copy of a finished run with the same training;
 * returns the ids of the jobs so filed (they are then done like any finished run).
 */
export async function adoptFinishedTwins(
  store: Store,
  jobs: readonly TrainingJob[],
  onReused?: (job: TrainingJob, sourceRunId: string) => void,
): Promise<string[]> {
  // One listing per sweep (a group's jobs usually share one), not one per job.
  const existing = new Set<string>();
  for (const sweepId of new Set(jobs.map((j) => j.request.sweepId))) {
    for (const run of await store.listRuns({ sweepId })) existing.add(run.id);
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
    // Runs stored before epochs carried their block errors were trained before this engine's
    // arithmetic was settled (SPEC §2's clamp order came first): their configuration may match, their
    // numbers need not. Train those again.
    const epochs = await store.listEpochs(source.id);
    if (epochs.length === 0 || epochs.some((e) => e.blockErrors === null || e.blockErrors === undefined)) continue;
    if (!(await copyRun(store, source, epochs, job))) continue;
    onReused?.(job, source.id);
    adopted.push(job.request.runId);
  }
  return adopted;
}
