/**
 * Job bodies → what a job's child process is handed. A train body is a run's settings
 * (src/experiments/plan/run-settings.ts): the domain fills in the defaults and builds the checked run
 * request, which the child gets as `eqprop train --request <json>`. A sweep body is a sweep's
 * settings (src/experiments/plan/sweep-settings.ts), checked down to every planned topology, which the
 * child gets as `eqprop sweep --request <json>`. Typed objects all the way: no flags are built
 * from a body, and an error names the body's own field (the domain's fields are the body's).
 */
import type { BackendChoice } from '../../src/config.js';
import type { Store } from '../../src/store/index.js';
import type { RunRequest } from '../../src/experiments/index.js';
import { parseRunSettings, runRequestOf } from '../../src/experiments/index.js';
import { parseSweepSettings, sweepDefinitionOf, type SweepSettings } from '../../src/experiments/index.js';
import { planSweep, type SweepPlan } from '../../src/experiments/index.js';
import type { SweepJobBody, TrainJobBody } from '../schemas.js';

/** A train body → the run request its job trains (a stored topology's sizes read from the store). */
export async function trainJobRequest(
  body: TrainJobBody,
  context: { store: Pick<Store, 'getTopology'>; backend: BackendChoice },
): Promise<RunRequest> {
  const settings = parseRunSettings(body);
  const stored = settings.topologyId === undefined ? undefined : await context.store.getTopology(settings.topologyId);
  return runRequestOf(settings, {
    backend: context.backend,
    stored: stored && { id: stored.id, sizes: stored.spec.sizes },
  });
}

/** The arguments of `eqprop train` for a run request. */
export function trainJobArgs(request: RunRequest): string[] {
  return ['--request', JSON.stringify(request)];
}

/**
 * A sweep body → its settings, the plan the child will run (planned here so a sweep the child
 * would refuse is refused now) and its worker count (always explicit: the CLI's own default is
 * one worker per core, past the server's budget).
 */
export function sweepJob(
  body: SweepJobBody,
  backend: BackendChoice,
): { settings: SweepSettings; plan: SweepPlan; workers: number } {
  const { workers = 1, ...fields } = body;
  const settings = parseSweepSettings(fields);
  const plan = planSweep(sweepDefinitionOf(settings), settings.backend ?? backend);
  return { settings, plan, workers };
}

/** The arguments of `eqprop sweep` for a sweep's settings and its workers. */
export function sweepJobArgs(settings: SweepSettings, workers: number): string[] {
  return ['--request', JSON.stringify(settings), '--workers', String(workers)];
}
