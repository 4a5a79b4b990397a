/**
 * Parsing of command-line values (always strings) into numbers and lists, with errors that name
 * the flag and say what is accepted. Used by every command, so that `train`, `sweep` and
 * `reproduce` reject bad input with the same words. Part of the CLI: only the CLI has flags.
 */
import { InputError } from '../lib/index.js';
import { describeRange, type NumberRange } from '../engine/index.js';
import { DECIMAL } from '../src/experiments/index.js';
import { ID_EXPECTED, ID_PATTERN } from '../src/experiments/index.js';

export { DECIMAL };

const MODULE = 'cli';

/** A number's accepted range; the engine's type, so TRAIN_RANGES rules are parse rules as they are. */
export type NumberRule = NumberRange;

export function describeRule(rule: NumberRule): string {
  return describeRange(rule);
}

export function parseNumber(flag: string, raw: string | number, rule: NumberRule = {}): number {
  const text = String(raw).trim();
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  const bad = (problem: string) => new InputError(MODULE, flag, problem, describeRule(rule));
  if (!Number.isFinite(value)) throw bad(`${JSON.stringify(String(raw))} is not a decimal number`);
  if (rule.integer && !Number.isSafeInteger(value)) throw bad(`${text} is not an integer`);
  if (rule.min !== undefined && (rule.minExclusive ? value <= rule.min : value < rule.min))
    throw bad(`${text} is too small`);
  if (rule.max !== undefined && value > rule.max) throw bad(`${text} is too large`);
  return value;
}

/** A comma-separated list, each element checked by `rule`. */
export function parseList(flag: string, raw: string, rule: NumberRule = {}): number[] {
  const parts = String(raw)
    .split(',')
    .map((s) => s.trim());
  if (parts.length === 0 || parts.some((s) => s === '')) {
    throw new InputError(
      MODULE,
      flag,
      `${JSON.stringify(raw)} has an empty element`,
      `comma-separated values, each ${describeRule(rule)}`,
    );
  }
  return parts.map((s) => parseNumber(flag, s, rule));
}

/** Most values a range may expand to: beyond this a sweep is surely a typo. */
export const MAX_RANGE_VALUES = 10_000;

/**
 * Either a comma-separated list (`0,0.01,0.05`) or an inclusive range `start:end:step`
 * (`0:2000:500` → 0, 500, 1000, 1500, 2000). Range values are computed as start + i·step
 * (no accumulated rounding) and rounded to 12 significant digits so 0.1-steps print cleanly.
 */
export function parseValues(flag: string, raw: string, rule: NumberRule = {}): number[] {
  const text = String(raw).trim();
  if (!text.includes(':')) return parseList(flag, text, rule);
  const accepted = `a list a,b,c or a range start:end:step, each value ${describeRule(rule)}`;
  const parts = text.split(':');
  if (parts.length !== 3) throw new InputError(MODULE, flag, `${JSON.stringify(raw)} is not start:end:step`, accepted);
  const [start, end] = parts.slice(0, 2).map((s) => parseNumber(flag, s, rule));
  const step = parseNumber(flag, parts[2], { min: 0, minExclusive: true, integer: rule.integer });
  if (end < start) throw new InputError(MODULE, flag, `range end ${end} is below its start ${start}`, accepted);
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  if (count > MAX_RANGE_VALUES)
    throw new InputError(MODULE, flag, `range expands to ${count} values`, `at most ${MAX_RANGE_VALUES} values`);
  return Array.from({ length: count }, (_, i) => Number((start + i * step).toPrecision(12)));
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new InputError(MODULE, flag, `unknown value ${JSON.stringify(raw)}`, `one of ${choices.join(', ')}`);
  }
  return raw as T;
}

/** Ids that are safe in file names (checkpoints are <runId>.ckpt) and URLs. */
export function parseId(flag: string, raw: string): string {
  if (!ID_PATTERN.test(raw))
    throw new InputError(MODULE, flag, `${JSON.stringify(raw)} is not a valid id`, ID_EXPECTED);
  return raw;
}
