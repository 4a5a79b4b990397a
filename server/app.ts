/**
 * The Express application: the route table mounted under /api (token check, JSON body limit,
 * zod validation, JSON errors), then the built web app as static files at /.
 */
import express, { type Express, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ServerContext } from './context.js';
import type { Route } from './route.js';
import { ROUTES } from './routes/index.js';
import { parseOrThrow } from './validation.js';
import { apiNotFound, errorHandler } from './http-errors.js';
import { requireToken } from './auth.js';
import { requireKnownHost } from './host-check.js';
import { limitBodyDepth } from './request-shape.js';
import { resolvePathIds, resolveQueryIds } from './path-ids.js';

export interface AppOptions {
  /** Directory of the built web app (web/dist); null serves the API only. */
  webDir: string | null;
  /** express.json limit; larger bodies get 413. */
  bodyLimit?: string | number;
  /** The port the server listens on (known after listen; the Host check compares with it). */
  port?: () => number;
}

const noInput = z.strictObject({});

function mount(app: Express, route: Route, ctx: ServerContext): void {
  app[route.method](route.path, async (req: Request, res: Response) => {
    const input = {
      params: parseOrThrow(route.params ?? noInput, req.params, 'params'),
      query: parseOrThrow(route.query ?? noInput, req.query, 'query'),
      body: route.body ? parseOrThrow(route.body, req.body, 'body') : undefined,
    };
    await resolvePathIds(route.method, route.path, input.params, ctx.store);
    await resolveQueryIds(route.method, input.query, ctx.store);
    const result = await route.handle(input, ctx, req, res);
    if (res.headersSent || res.writableEnded) return;
    res.status(route.responds.status).json(result);
  });
}

export function createApp(ctx: ServerContext, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const { token, host, allowedHosts } = ctx.config.server;
  if (token) app.use('/api', requireToken(token));
  else app.use(requireKnownHost(host, options.port ?? (() => ctx.config.server.port), allowedHosts));
  app.use('/api', express.json({ limit: options.bodyLimit ?? '64kb' }), limitBodyDepth);
  for (const route of ROUTES) mount(app, route, ctx);
  app.use('/api', apiNotFound);

  const webDir = options.webDir;
  if (webDir && existsSync(join(webDir, 'index.html'))) {
    app.use(
      express.static(webDir, {
        index: 'index.html',
        maxAge: '1h',
        setHeaders: (res, path) => {
          if (path.endsWith('index.html')) res.setHeader('Cache-Control', 'no-cache');
        },
      }),
    );
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send(
          'eqprop-lab API is running at /api (see /api/openapi.json). The web app is not built: run `npm run build`.\n',
        );
    });
  }
  app.use(errorHandler);
  return app;
}
