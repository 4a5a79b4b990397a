/**
 * The domain's zod vocabulary: number fields with their ranges, checks that report a problem at a
 * field path, and a failed parse turned into an InputError. Every domain object (the topology
 * spec here, the run configuration and the sweep definition in src/experiments) is one zod
 * schema built with these, so validation, defaults, the API's OpenAPI document and the error
 * messages come from the same place, and the messages name field paths (`topology.spanMin`,
 * `train.learningRates[2]`) — the CLI turns them into its flags, the API answers with them.
 */
import { z } from 'zod';
import { formatPath, InputError, rebaseText, renderText, type MessageText } from '../lib/index.js';
import { describeRange, type NumberRange } from './ranges.js';

/**
 * A number field: zod's own bounds (so the OpenAPI document shows them) and, on every failure,
 * the range in describeRange's words ("a number ≥ 0 and ≤ 1000").
 */
export function rangedNumber(range: NumberRange, expected = describeRange(range)): z.ZodNumber {
  let s = range.integer ? z.int({ error: expected }) : z.number({ error: expected });
  if (range.min !== undefined)
    s = range.minExclusive ? s.gt(range.min, { error: expected }) : s.min(range.min, { error: expected });
  if (range.max !== undefined) s = s.max(range.max, { error: expected });
  return s;
}

/** Options for a cross-field check (superRefine): it runs only on a value whose fields all passed. */
export const WHEN_FIELDS_VALID = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** The parameters a check puts on its issue: the texts with their field references, and how deep the issue sits. */
interface ProblemParams {
  problem: MessageText;
  expected: MessageText;
  /** Path segments below the checked object; references are relative to that object. */
  depth: number;
}

/**
 * Reports a problem from a cross-field check at `path` (relative to the object being checked);
 * field references in the texts are relative to the same object (`ref('n')` beside `mode`).
 */
export function addProblem<T>(
  ctx: z.RefinementCtx<T>,
  path: readonly (string | number)[],
  problem: MessageText,
  expected: MessageText,
): void {
  const params: ProblemParams = { problem, expected, depth: path.length };
  ctx.addIssue({
    code: 'custom',
    path: [...path],
    message: `${renderText(problem)}; expected ${renderText(expected)}`,
    params: params as unknown as Record<string, unknown>,
  });
}

/** One issue as a field, a problem and what is accepted. */
export interface FieldProblem {
  field: string;
  problem: MessageText;
  expected: MessageText;
}

/** How a path is written: the domain's `a.b[2]` (formatPath), or the API's `a.b.2`. */
export type PathFormat = (path: readonly PropertyKey[]) => string;

/** The value a path points at inside the checked value (undefined when it is not there). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root;
  for (const key of path)
    at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  return at;
}

/** A value short enough for a message. */
export function showValue(value: unknown, max = 60): string {
  // Numbers as people write them: 1e308, not 1e+308.
  const text = typeof value === 'number' ? String(value).replace('e+', 'e') : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

const DEFAULT_MESSAGE = /^(Invalid|Too big|Too small|Unrecognized)/;

function problemOf(issue: z.core.$ZodIssue, value: unknown): MessageText {
  const at = valueAt(value, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (at === undefined) return 'missing';
      const wantsNumber = issue.expected === 'number' || issue.expected === 'int';
      if (wantsNumber && typeof at === 'number' && Number.isFinite(at)) return `${at} is not an integer`;
      if (wantsNumber) return `${showValue(at)} is not a number`;
      if (issue.expected === 'array') return `${showValue(at)} is not a list`;
      if (issue.expected === 'object') return `${showValue(at)} is not an object`;
      if (issue.expected === 'boolean') return `${showValue(at)} is not true or false`;
      return `${showValue(at)} is not a ${issue.expected}`;
    }
    case 'too_big':
    case 'too_small': {
      const size = Array.isArray(at) ? `${at.length} given` : typeof at === 'string' ? `${at.length} characters` : null;
      return size ?? `${showValue(at)} is too ${issue.code === 'too_big' ? 'large' : 'small'}`;
    }
    case 'invalid_value':
      return `unknown value ${showValue(at)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return `${showValue(at)} is none of the accepted forms`;
    case 'custom': {
      const params = issue.params as ProblemParams | undefined;
      return params?.problem ?? issue.message;
    }
    default:
      return issue.message;
  }
}

/** What the issue says would have been accepted: the schema's own words, else words from the issue. */
function expectedOf(issue: z.core.$ZodIssue): MessageText {
  if (issue.code === 'custom') return (issue.params as ProblemParams | undefined)?.expected ?? issue.message;
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      const words: Record<string, string> = { int: 'an integer', object: 'an object', array: 'a list' };
      return words[issue.expected] ?? `a ${issue.expected}`;
    }
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} items` : `a value ≤ ${issue.maximum}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} items` : `a value ≥ ${issue.minimum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => showValue(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'only the documented keys';
    default:
      return issue.message;
  }
}

/**
 * An issue of a failed parse as a field and its texts, the path written by `format`; the field
 * references of a check's texts are resolved to full paths the same way.
 */
export function fieldProblem(issue: z.core.$ZodIssue, value: unknown, format: PathFormat = formatPath): FieldProblem {
  const params = issue.code === 'custom' ? (issue.params as ProblemParams | undefined) : undefined;
  const base = params ? format(issue.path.slice(0, issue.path.length - params.depth)) : '';
  return {
    field: format(issue.path),
    problem: rebaseText(problemOf(issue, value), base),
    expected: rebaseText(expectedOf(issue), base),
  };
}

/**
 * Parses `value` with `schema`; on failure throws an InputError of `module` naming the first
 * problem's field path (`root` when the value itself is wrong, e.g. not an object).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  module: string,
  root = 'value',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputErrorOf(result.error, value, module, root);
}

/** The first issue of a failed parse as an InputError. */
export function inputErrorOf(error: z.ZodError, value: unknown, module: string, root = 'value'): InputError {
  const { field, problem, expected } = fieldProblem(error.issues[0]!, value);
  return new InputError(module, field === '' ? root : field, problem, expected);
}
