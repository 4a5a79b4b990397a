/**
 * Every error the API answers with has one JSON shape: { error, field, expected } (field and
 * expected are null when they do not apply), so the web UI and scripts read them the same way.
 * This module maps thrown errors — zod validation failures, InputError, NotFoundError, body-parser
 * errors — to a status code and that shape; anything unrecognised is a 500 that hides internals.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { InputError, EqpropError } from '../lib/index.js';
import { NotFoundError } from '../src/store/index.js';

export interface ApiErrorBody {
  error: string;
  field: string | null;
  expected: string | null;
  /** Facts a client acts on (the existing topology's id and name, the runs in the way), when there are any. */
  [detail: string]: unknown;
}

/** An error that already knows its HTTP status (thrown by route handlers and validation). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
    readonly expected: string | null = null,
    /** Added to the body beside error, field and expected. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The status and body for any thrown value. */
export function toApiError(e: unknown): { status: number; body: ApiErrorBody } {
  if (e instanceof HttpError) {
    return { status: e.status, body: { ...e.details, error: e.message, field: e.field, expected: e.expected } };
  }
  if (e instanceof NotFoundError)
    return { status: 404, body: { error: e.message, field: 'id', expected: `the id of an existing ${e.entity}` } };
  if (e instanceof InputError) return { status: 400, body: { error: e.message, field: e.field, expected: e.expected } };
  // body-parser errors carry `type` and `status` (entity.too.large → 413, entity.parse.failed → 400).
  const bp = e as { type?: unknown; status?: unknown; limit?: unknown };
  if (typeof bp?.type === 'string' && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
    if (bp.type === 'entity.too.large') {
      return {
        status: 413,
        body: {
          error: `eqprop/server: request body is larger than the ${bp.limit} byte limit; expected a smaller JSON body`,
          field: 'body',
          expected: `at most ${bp.limit} bytes`,
        },
      };
    }
    if (bp.type === 'entity.parse.failed') {
      return {
        status: 400,
        body: {
          error: 'eqprop/server: request body is not valid JSON; expected a JSON object',
          field: 'body',
          expected: 'valid JSON',
        },
      };
    }
    const error = `eqprop/server: ${(e as Error).message}`;
    return { status: bp.status, body: { error, field: 'body', expected: bodyExpectation(bp.type) } };
  }
  // Express's own client errors carry only a status: a path parameter that is not valid
  // percent-encoding (/api/runs/%ff) is a URIError with status 400.
  if (e instanceof URIError || (typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500)) {
    const status = typeof bp?.status === 'number' && bp.status >= 400 && bp.status < 500 ? bp.status : 400;
    const error =
      `eqprop/server: path: not valid percent-encoding or otherwise malformed (${(e as Error).message}); ` +
      'expected a URL-encoded UTF-8 path';
    return { status, body: { error, field: 'path', expected: 'a URL-encoded UTF-8 path' } };
  }
  if (e instanceof EqpropError) return { status: 500, body: { error: e.message, field: null, expected: null } };
  return {
    status: 500,
    body: { error: 'eqprop/server: internal error; see the server log', field: null, expected: null },
  };
}

/** What body-parser's other refusals (encoding, charset, aborted) expected instead. */
function bodyExpectation(type: string): string | null {
  if (type === 'encoding.unsupported') return 'Content-Encoding identity, gzip, deflate or br';
  if (type === 'charset.unsupported') return 'a UTF-8 JSON body';
  if (type === 'request.aborted' || type === 'request.size.invalid') return 'a complete request body';
  return null;
}

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const { status, body } = toApiError(err);
  if (status >= 500) console.error(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).json(body);
};

/** 404 for any /api path no route matched (so clients never get the HTML app for a typo). */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({
    error: `eqprop/server: no API route ${req.method} ${req.path}; expected one listed in /api/openapi.json`,
    field: 'path',
    expected: 'a path from /api/openapi.json',
  } satisfies ApiErrorBody);
};
