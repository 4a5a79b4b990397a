/**
 * Request validation with zod. A failed parse becomes an HttpError 400 naming the first bad
 * field (with its location: body, query or path parameter) and what would have been accepted.
 */
import type { z } from 'zod';
import { HttpError } from './http-errors.js';
import { renderText } from '../lib/index.js';
import { fieldProblem } from '../graph/index.js';

export type RequestPart = 'body' | 'query' | 'params';

/** What the issue's code says would have been accepted, in words. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'a JSON object' : `a value of type ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' || issue.origin === 'set'
        ? `at least ${issue.minimum} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `a value ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'string' || issue.origin === 'set'
        ? `at most ${issue.maximum} ${issue.origin === 'string' ? 'characters' : 'items'}`
        : `a value ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'only the documented keys (see /api/openapi.json)';
    case 'invalid_format':
      return `a string in ${issue.format} format`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/** The offending value in words ("is missing", "is 0", "is \"abc\""), short enough for a message. */
function problemOf(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  let at: unknown = value;
  for (const key of issue.path)
    at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  if (at === undefined) return 'is missing';
  const text = JSON.stringify(at) ?? String(at);
  // "sizes.1: 'abc' is not a number" reads better than "is \"abc\"; expected a value of type number".
  const wantsNumber = issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int');
  if (wantsNumber && typeof at !== 'number') {
    const cut = (t: string) => (t.length > 40 ? `${t.slice(0, 37)}...` : t);
    const shown = typeof at === 'string' ? `'${cut(at)}'` : cut(text);
    return `${shown} is not a number`;
  }
  return `is ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const dotted = (path: readonly PropertyKey[]) => {
    const joined = path.map(String).join('.');
    return part === 'body' || joined === '' ? joined : `${part}.${joined}`;
  };
  const path = dotted(issue.path);
  const field = path === '' ? part : path;
  // A domain check's problem and accepted values, the fields they mention named as the API's.
  const domain = issue.code === 'custom' && issue.params?.problem !== undefined;
  const texts = domain ? fieldProblem(issue, value, dotted) : null;
  const problem = texts ? renderText(texts.problem) : problemOf(issue, value);
  const expected = texts ? renderText(texts.expected) : expectedOf(issue);
  throw new HttpError(400, `eqprop/server: ${field}: ${problem}; expected ${expected}`, field, expected);
}
