/**
 * Deterministic ids. A sweep's id comes from its name, or from a hash of its definition; a run's id
 * from (sweep, topology parameters, seed); a topology built from a spec gets an id from the
 * resolved spec. Re-submitting the same sweep therefore names the same runs, and finished runs
 * are found and skipped — locally or through a queue (BullMQ job ids are these run ids).
 */
import { createHash } from 'node:crypto';
import type { ResolvedSpec } from '../../graph/types.js';

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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

/** Topology id from its resolved spec: same sizes, mode, n and seed → same graph → same id. */
export function topologyIdFor(spec: ResolvedSpec): string {
  const amount = spec.mode === 'layered' ? '' : spec.mode === 'per-connection' ? `-p${idNumber(spec.p)}` : `-n${spec.n}`;
  const id = `topo-${spec.sizes.join('x')}-${spec.mode}${amount}-s${spec.seed}`;
  return id.length <= 100 ? id : `topo-${shortHash(spec)}`;
}

/** Sweep id: the slug of its name when named, else a hash of the definition. */
export function sweepIdFor(name: string | null, definition: unknown): string {
  return name ? name : `sweep-${shortHash(definition)}`;
}

/** Run id inside a sweep: (sweep, the swept parameter's value or "layered", seed). */
export function sweepRunId(sweepId: string, point: { parameter: 'p' | 'n'; value: number } | 'layered', seed: number): string {
  const where = point === 'layered' ? 'layered' : `${point.parameter}${idNumber(point.value)}`;
  return `${sweepId}.${where}.s${seed}`;
}
