/**
 * Limits on the shape of a parsed JSON body that zod cannot enforce itself: every later step
 * (validation messages, the Neo4j driver's encoder, JSON.stringify) recurses, so a body nested
 * 10,000 deep would overflow the stack there and surface as a 500 or a dropped Neo4j connection.
 * The walk here is iterative and stops at the first value past the limit.
 */
import type { RequestHandler } from 'express';
import { HttpError } from './http-errors.js';

/** Deeper than any request this API documents (the deepest, a Cypher params map, needs a few levels). */
export const MAX_BODY_DEPTH = 32;

/** The path of the first value nested deeper than maxDepth, or null when the value is shallow enough. */
export function tooDeepAt(value: unknown, maxDepth: number): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return path || '(root)';
    for (const [key, child] of Object.entries(v)) {
      if (child === null || typeof child !== 'object') continue;
      stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
    }
  }
  return null;
}

/** Express middleware: 400 for a JSON body nested deeper than MAX_BODY_DEPTH. */
export const limitBodyDepth: RequestHandler = (req, _res, next) => {
  const at = tooDeepAt(req.body, MAX_BODY_DEPTH);
  if (at === null) return next();
  const field = at.split('.').slice(0, 3).join('.');
  next(
    new HttpError(
      400,
      `eqprop/server: body: nested more than ${MAX_BODY_DEPTH} levels deep (at ${field}…); ` +
        `expected a JSON body at most ${MAX_BODY_DEPTH} levels deep`,
      field,
      `at most ${MAX_BODY_DEPTH} levels of nesting`,
    ),
  );
};
