/** Health, server facts and the OpenAPI document. */
import { z } from 'zod';
import { defineRoute, type Route } from '../route.js';
import { buildOpenApi } from '../openapi.js';

export function systemRoutes(allRoutes: () => readonly Route[]): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/health',
      tag: 'system',
      summary: 'Liveness: answers at once, whatever is training',
      responds: {
        status: 200,
        description: 'The server is up',
        schema: z.object({ ok: z.boolean(), uptimeMs: z.number(), jobsRunning: z.number() }),
      },
      handle: (_in, ctx) => ({
        ok: true,
        uptimeMs: Date.now() - ctx.startedAt,
        jobsRunning: ctx.jobs.list().filter((j) => j.status === 'running').length,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/info',
      tag: 'system',
      summary: 'Store kind and location, version, whether the Cypher console is available',
      responds: { status: 200, description: 'Server facts' },
      handle: (_in, ctx) => ({
        version: ctx.version,
        store: { kind: ctx.store.kind, location: ctx.store.location },
        cypher: ctx.cypher !== null,
        tokenRequired: ctx.config.server.token !== null,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/openapi.json',
      tag: 'system',
      summary: 'This API as an OpenAPI 3.1 document',
      responds: { status: 200, description: 'The OpenAPI document' },
      handle: (_in, ctx) =>
        buildOpenApi(allRoutes(), { version: ctx.version, bearer: ctx.config.server.token !== null }),
    }),
  ];
}
