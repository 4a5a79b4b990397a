/**
 * Before a resume claims its run: is the checkpoint on disk really this run's? A checkpoint
 * carries a fingerprint of the topology it started on and of its arithmetic configuration
 * (engine/checkpoint-fingerprint.ts); both must match the run's stored topology and config.
 * A checkpoint from before fingerprints is checked another way: its recorded layer sizes,
 * block shapes and skip count against the stored topology, and its full config against the
 * run's (the connection set itself is not compared: removeSkipsAfter changes the saved masks).
 * A mismatch is an InputError (exit 2) naming what differs; nothing has been written yet.
 */
import type { CompiledTopology } from '../../../graph/index.js';
import { InputError } from '../../../lib/index.js';
import type { TrainConfig } from '../../../engine/index.js';
import { readCheckpointMeta } from '../../../engine/index.js';
import type { CheckpointMeta } from '../../../engine/index.js';
import { checkpointFingerprint, configDifferences, type CheckpointFingerprint } from '../../../engine/index.js';

const shapeOf = (sizes: readonly number[], blocks: CheckpointMeta['topology']['blocks'], skipCount: number) =>
  JSON.stringify({ blocks: blocks.map((b) => [b.kind, b.from, b.to, b.rows, b.cols]), sizes, skipCount });

/** What differs between the checkpoint's topology and the run's, in words. */
function topologyDifference(meta: CheckpointMeta, compiled: CompiledTopology, topologyId: string): string {
  const theirs = meta.topology.sizes.join('-'),
    ours = compiled.sizes.join('-');
  if (theirs !== ours) return `topology sizes ${theirs} (checkpoint) vs ${ours} (run's topology ${topologyId})`;
  return `topology connection set differs from the run's topology ${topologyId} (same sizes ${ours})`;
}

/**
 * Throws unless the checkpoint at `path` belongs to a run on `compiled` with `train`; returns
 * the fingerprint the run's next checkpoints carry.
 */
export function checkCheckpointMatchesRun(
  path: string,
  run: { id: string; topologyId: string },
  train: TrainConfig,
  compiled: CompiledTopology,
): CheckpointFingerprint {
  const meta = readCheckpointMeta(path) as CheckpointMeta;
  const expected = checkpointFingerprint(compiled, train);
  const differences: string[] = [];
  if (meta.fingerprint) {
    if (meta.fingerprint.topology !== expected.topology) {
      differences.push(topologyDifference(meta, compiled, run.topologyId));
    }
    if (meta.fingerprint.config !== expected.config) {
      const fields = configDifferences(meta.config, train);
      differences.push(...(fields.length > 0 ? fields : ['the configuration fingerprint']));
    }
  } else {
    const saved = meta.topology;
    const ours = shapeOf(compiled.sizes, compiled.blocks, compiled.skip.count);
    if (!saved || shapeOf(saved.sizes, saved.blocks, saved.skipCount) !== ours) {
      differences.push(saved ? topologyDifference(meta, compiled, run.topologyId) : 'no recorded topology');
    }
    differences.push(...(meta.config ? configDifferences(meta.config, train) : ['no recorded configuration']));
  }
  if (differences.length > 0) {
    throw new InputError(
      'experiments',
      `checkpoint ${path}`,
      `belongs to another network or configuration than run ${run.id}: ${differences.join('; ')}`,
      'the checkpoint this run wrote: restore it, or delete the file to restart the run from its beginning',
    );
  }
  return expected;
}
