/**
 * Accepted ranges of numbers, and the one wording every message about a range uses
 * ("a number ≥ 1e-6 and ≤ 10"). The engine's TRAIN_RANGES, the topology spec and the run
 * configuration describe their numbers with these.
 */
export interface NumberRange {
  integer?: boolean;
  min?: number;
  max?: number;
  /** The lower bound is exclusive (e.g. ε > 0). */
  minExclusive?: boolean;
}

export function inRange(value: unknown, range: NumberRange): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.integer && !Number.isSafeInteger(value)) return false;
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min)) return false;
  return range.max === undefined || value <= range.max;
}

/** "a number ≥ 1e-6 and ≤ 10", the words every error about a range uses. */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'an integer' : 'a number';
  const lo = range.min === undefined ? null : `${range.minExclusive ? '>' : '≥'} ${range.min}`;
  const hi = range.max === undefined ? null : `≤ ${range.max}`;
  const bounds = [lo, hi].filter(Boolean).join(' and ');
  return bounds ? `${kind} ${bounds}` : kind;
}
