/**
 * Submitting a planned sweep: file it in the store (or check that the stored sweep of that id
 * is the same sweep), leave out the runs that already finished, and hand the rest to an
 * executor. Also the sweep's status, read back from the store against its plan.
 */
import { InputError, ref, text } from '../../../lib/index.js';
import { NotFoundError, type RunRecord, type Store, type SweepRecord } from '../../store/contract.js';
import type { ExecutorObserver, JobExecutor, JobOutcome } from './executor.js';
import { canonicalJson } from '../plan/ids.js';
import { adoptFinishedTwins } from '../reuse/finished-twins.js';
import type { RunConfig } from '../plan/run-config.js';
import { planSweep, type SweepDefinition, type SweepPlan, type TrainingJob } from '../plan/sweep-plan.js';

/** The sweep record's config: the definition, tagged so reports know to draw the p figures. */
export type StoredSweepConfig = SweepDefinition & { kind: 'p-sweep' };

/** The definition inside a stored sweep config (without the kind tag, so it plans to the same ids). */
export function definitionOf(stored: StoredSweepConfig): SweepDefinition {
  const { kind: _kind, ...definition } = stored;
  return definition;
}

async function findSweep(store: Store, id: string): Promise<SweepRecord | null> {
  try {
    return await store.getSweep(id);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/**
 * Creates the sweep record, or checks that an existing one was made by the same definition
 * (so re-running a command resumes it, and a changed command never mixes into old results).
 */
export async function fileSweep(
  store: Store,
  sweepId: string,
  name: string | null,
  config: Record<string, unknown>,
): Promise<void> {
  const existing = await findSweep(store, sweepId);
  if (existing) {
    if (canonicalJson(existing.config) !== canonicalJson(config)) {
      throw new InputError(
        'experiments',
        'name',
        `sweep ${sweepId} already exists with a different definition`,
        text`another ${ref('name')}, or exactly the definition it was created with`,
      );
    }
    return;
  }
  await store.createSweep({ id: sweepId, name, config });
}

export function storedConfigOf(plan: SweepPlan): StoredSweepConfig {
  return { kind: 'p-sweep', ...plan.definition };
}

export interface SweepResult {
  sweepId: string;
  /** Runs that had finished before this submission. */
  skipped: string[];
  outcomes: JobOutcome[];
}

/** Executes every job of a filed sweep whose run is not done yet. */
export async function executeJobs(
  store: Store,
  sweepId: string,
  jobs: readonly TrainingJob[],
  executor: JobExecutor,
  observer?: ExecutorObserver,
  signal?: AbortSignal,
): Promise<SweepResult> {
  await adoptFinishedTwins(store, jobs, observer?.onReused);
  const runs = new Map((await store.listRuns({ sweepId })).map((r) => [r.id, r]));
  const skipped = jobs.filter((j) => runs.get(j.request.runId)?.status === 'done').map((j) => j.request.runId);
  const todo = jobs.filter((j) => !skipped.includes(j.request.runId));
  const outcomes = todo.length > 0 ? await executor.run(todo, observer, signal) : [];
  return { sweepId, skipped, outcomes };
}

/** Files a p sweep and executes every job whose run is not done yet. */
export async function submitSweep(
  store: Store,
  plan: SweepPlan,
  executor: JobExecutor,
  observer?: ExecutorObserver,
  signal?: AbortSignal,
): Promise<SweepResult> {
  await fileSweep(
    store,
    plan.sweepId,
    plan.definition.name,
    storedConfigOf(plan) as unknown as Record<string, unknown>,
  );
  return executeJobs(store, plan.sweepId, plan.jobs, executor, observer, signal);
}

export type JobState = 'waiting' | RunRecord['status'];

export interface SweepStatus {
  sweep: SweepRecord;
  counts: Record<JobState, number>;
  jobs: { job: TrainingJob; state: JobState; run: RunRecord | null; epochsDone: number }[];
}

/** The jobs a stored sweep stands for: re-planned for p sweeps, listed for presets; null for anything else. */
function plannedJobs(sweepId: string, config: Record<string, unknown>): TrainingJob[] | null {
  const c = config as { kind?: string; runs?: { runId: string; config: RunConfig }[] };
  if (c.kind === 'p-sweep') return planSweep(definitionOf(config as unknown as StoredSweepConfig)).jobs;
  if (c.kind === 'preset' && Array.isArray(c.runs)) {
    return c.runs.map(({ runId, config: run }) => {
      const spec = run.topology.kind === 'spec' ? run.topology.spec : null;
      const point: TrainingJob['point'] =
        !spec || spec.mode === 'layered' ? 'layered' : { parameter: 'p', value: spec.p };
      return { request: { runId, sweepId, config: run }, point, seed: run.train.seed };
    });
  }
  return null;
}

/** Each planned job's state: waiting (no run yet), or its run's status. */
export async function sweepStatus(store: Store, sweepId: string): Promise<SweepStatus> {
  const sweep = await store.getSweep(sweepId);
  const planned = plannedJobs(sweepId, sweep.config);
  if (!planned)
    throw new InputError(
      'experiments',
      'sweepId',
      `sweep ${sweepId} was not made by eqprop sweep or eqprop reproduce`,
      'the id of a sweep made by eqprop sweep or eqprop reproduce',
    );
  const runs = new Map((await store.listRuns({ sweepId })).map((r) => [r.id, r]));
  const counts: Record<JobState, number> = { waiting: 0, queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  const jobs = await Promise.all(
    planned.map(async (job) => {
      const run = runs.get(job.request.runId) ?? null;
      const state: JobState = run ? run.status : 'waiting';
      counts[state]++;
      return { job, state, run, epochsDone: run ? (await store.listEpochs(run.id)).length : 0 };
    }),
  );
  return { sweep, counts, jobs };
}
