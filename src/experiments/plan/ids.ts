/**
 * Deterministic ids. A sweep's id comes from its name, or from a hash of its definition; a run's id
 * from (sweep, topology parameters, seed); a topology built from a spec gets an id from the
 * resolved spec. Re-submitting the same sweep therefore names the same runs, and finished runs
 * are found and skipped — locally or through a queue (BullMQ job ids are these run ids).
 */
import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../../../graph/index.js';
import { meanGlorotBound } from '../../../graph/index.js';

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return v;
  });
}

export function shortHash(value: unknown, length = 12): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** A readable number for ids: 0.0756 → "0.0756", 1e-7 → "1e-7". */
function idNumber(x: number): string {
  return String(Number(x.toPrecision(10))).replace('+', '');
}

/**
 * Topology id from its resolved spec: same sizes, mode, n (or p), restriction, skip bound and
 * seed → same graph → same id. Specs of the paper's modes keep the ids they always had.
 */
export function topologyIdFor(spec: ResolvedSpec): string {
  const perConnection = spec.mode === 'per-connection' || spec.mode === 'no-intralayer';
  const amount = spec.mode === 'layered' ? '' : perConnection ? `-p${idNumber(spec.p)}` : `-n${spec.n}`;
  const restriction = [
    spec.spanMin !== undefined ? `-smin${spec.spanMin}` : '',
    spec.spanMax !== undefined ? `-smax${spec.spanMax}` : '',
    spec.targetLayer !== undefined ? `-to${spec.targetLayer}` : '',
    spec.skipBound !== undefined && spec.skipBound !== meanGlorotBound(spec.sizes)
      ? `-a${idNumber(spec.skipBound)}`
      : '',
  ].join('');
  const id = `topo-${spec.sizes.join('x')}-${spec.mode}${amount}${restriction}-s${spec.seed}`;
  return id.length <= 100 ? id : `topo-${shortHash(spec)}`;
}

/** Sweep id: the slug of its name when named, else a hash of the definition. */
export function sweepIdFor(name: string | null, definition: unknown): string {
  return name ? name : `sweep-${shortHash(definition)}`;
}

/** Run id inside a sweep: (sweep, the swept parameter's value or "layered", seed). */
export function sweepRunId(
  sweepId: string,
  point: { parameter: 'p' | 'n'; value: number } | 'layered',
  seed: number,
  prefix = '',
): string {
  const where = point === 'layered' ? 'layered' : `${point.parameter}${idNumber(point.value)}`;
  // A study's prefix names the architecture and family; 'layered' is then already in it.
  return prefix.startsWith('layered.') || prefix.includes('.layered.')
    ? `${sweepId}.${prefix}s${seed}`
    : `${sweepId}.${prefix}${where}.s${seed}`;
}

/** Ids that are safe in file names (checkpoints are <runId>.ckpt) and URLs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ID_EXPECTED = 'letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit)';
