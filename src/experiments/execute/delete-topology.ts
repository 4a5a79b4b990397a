/**
 * Deleting a topology deletes its runs, their epochs and rates (the store cascades) — so it must
 * not happen under a run that is training or queued: that run would go on writing epochs of a
 * run that no longer exists, and a finished-looking result would silently vanish. The API
 * (DELETE /api/topologies/<id>, 409) and `eqprop topology delete` (exit 2) refuse it naming the
 * runs. A deleted run's checkpoint files go too: nothing could ever resume them.
 *
 * The check and the delete are two store calls: a run started in between is not seen. Runs
 * start through `train`, which reads the topology first, so the window is that of one request.
 */
import { rmSync } from 'node:fs';
import { InputError } from '../../../lib/index.js';
import { removeStaleTempFilesOf } from '../../../lib/index.js';
import type { RunRecord, RunStatus, Store } from '../../store/contract.js';

/** Statuses of runs that a process is (or soon will be) training. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['running', 'queued'];

/** Thrown when runs still use the topology: the API answers 409, the CLI exits 2. */
export class TopologyInUseError extends InputError {
  constructor(
    readonly topologyId: string,
    readonly runs: { id: string; status: RunStatus }[],
  ) {
    const shown = runs
      .slice(0, 20)
      .map((r) => `${r.id} (${r.status})`)
      .join(', ');
    super(
      'experiments',
      'id',
      `topology ${topologyId} is used by ${runs.length} run(s) that are training or queued: ` +
        `${shown}${runs.length > 20 ? ', …' : ''}`,
      'no running or queued run on it: cancel them first (POST /api/jobs/<job>/cancel, Ctrl-C or SIGTERM to eqprop ' +
        'train; a run whose process died can be resumed or left), then delete',
    );
  }
}

/** Deletes the checkpoint file of each run (and half-written copies of it); missing files are fine. */
export function removeCheckpointFiles(runs: readonly Pick<RunRecord, 'checkpoint'>[]): void {
  for (const { checkpoint } of runs) {
    // Only what a run writes (<dir>/<runId>.ckpt): a damaged row cannot point this at another file.
    if (!checkpoint?.endsWith('.ckpt')) continue;
    rmSync(checkpoint, { force: true });
    removeStaleTempFilesOf(checkpoint);
  }
}

/** Refuses while a run trains or waits on the topology; else deletes it, its runs and their checkpoints. */
export async function deleteTopologyWithRuns(store: Store, topologyId: string): Promise<{ runs: string[] }> {
  const runs = await store.listRuns({ topologyId });
  const active = runs.filter((r) => ACTIVE_STATUSES.includes(r.status));
  if (active.length > 0)
    throw new TopologyInUseError(
      topologyId,
      active.map(({ id, status }) => ({ id, status })),
    );
  await store.deleteTopology(topologyId);
  removeCheckpointFiles(runs);
  return { runs: runs.map((r) => r.id) };
}
