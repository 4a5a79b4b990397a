/**
 * One route = one declarative record: method, path, the zod schemas of its path parameters,
 * query and body, and a handler. The Express router and the OpenAPI document are both generated
 * from the same records (app.ts, openapi.ts), so the document cannot drift from the routes.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { ServerContext } from './context.js';

export type Method = 'get' | 'post' | 'delete';

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Express form, e.g. `/api/topologies/:id`. */
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Success status and what comes back (for the document). */
  responds: { status: number; description: string; schema?: z.ZodType; stream?: 'text/event-stream' };
  /**
   * The returned value is sent as JSON with `responds.status`. Handlers that stream (SSE) write to
   * `res` themselves and return undefined.
   */
  handle(input: RouteInput<P, Q, B>, ctx: ServerContext, req: Request, res: Response): Promise<unknown> | unknown;
}

/** Keeps each route's handler typed by its own schemas while the table holds them uniformly. */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  route: Route<P, Q, B>,
): Route {
  return route as unknown as Route;
}

/** Path parameter schemas shared by many routes. */
export const idParams = z.object({ id: z.string().min(1).max(200) });
