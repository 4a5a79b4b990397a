/**
 * What a checkpoint was trained on, as two SHA-256 digests: the topology (layer sizes and the
 * connection set — every block's shape and mask, every layer-skipping pair) as the run STARTED,
 * and every TrainConfig field that changes the arithmetic. A resume compares them with the
 * run it continues (src/experiments/execute/checkpoint-match.ts), so a checkpoint of another network or
 * another configuration is refused instead of trained and stored under the wrong run.
 *
 * The topology digest is taken when the run starts and carried unchanged from checkpoint to
 * checkpoint: removeSkipsAfter masks connections out mid-run, and the run is still the same run.
 */
import { createHash } from 'node:crypto';
import type { CompiledTopology } from '../graph/index.js';
import type { TrainConfig } from './config.js';

export interface CheckpointFingerprint {
  /** SHA-256 (hex) of the sizes and connection set of the topology the run started with. */
  topology: string;
  /** SHA-256 (hex) of the arithmetic fields of the TrainConfig (all but NON_ARITHMETIC). */
  config: string;
}

/** TrainConfig fields that change when files are written, never a number the run computes. */
export const NON_ARITHMETIC: readonly (keyof TrainConfig)[] = ['checkpointEvery'];

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function topologyFingerprint(compiled: CompiledTopology): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      sizes: compiled.sizes,
      N: compiled.N,
      skipCount: compiled.skip.count,
      blocks: compiled.blocks.map(({ kind, from, to, rows, cols }) => ({ kind, from, to, rows, cols })),
    }),
  );
  for (const block of compiled.blocks) h.update(bytesOf(block.mask));
  const { skip } = compiled;
  // Only the first `count` entries are connections (the arrays may have spare capacity).
  h.update(bytesOf(skip.src.subarray(0, skip.count))).update(bytesOf(skip.dst.subarray(0, skip.count)));
  return h.digest('hex');
}

/** The config's arithmetic fields as JSON with sorted keys (undefined and absent are the same). */
export function arithmeticConfig(config: TrainConfig): Record<string, unknown> {
  const fields = Object.keys(config)
    .filter((k) => !NON_ARITHMETIC.includes(k as keyof TrainConfig))
    .sort();
  return Object.fromEntries(
    fields
      .map((k) => [k, (config as unknown as Record<string, unknown>)[k]])
      .filter(([, v]) => v !== undefined && v !== null),
  );
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function configFingerprint(config: TrainConfig): string {
  return createHash('sha256')
    .update(canonical(arithmeticConfig(config)))
    .digest('hex');
}

export function checkpointFingerprint(compiled: CompiledTopology, config: TrainConfig): CheckpointFingerprint {
  return { topology: topologyFingerprint(compiled), config: configFingerprint(config) };
}

/** The arithmetic fields whose values differ, each as "field a vs b", for an error message. */
export function configDifferences(checkpoint: TrainConfig, run: TrainConfig): string[] {
  const a = arithmeticConfig(checkpoint),
    b = arithmeticConfig(run);
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields
    .filter((k) => canonical(a[k]) !== canonical(b[k]))
    .map((k) => `${k} ${canonical(a[k]) ?? 'absent'} (checkpoint) vs ${canonical(b[k]) ?? 'absent'} (run)`);
}
