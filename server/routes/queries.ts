/** The query page's backend: named topology queries and the read-only Cypher console. */
import { z } from 'zod';
import { defineRoute, type Route } from '../route.js';
import { NAMED_QUERIES, namedQuery } from '../named-queries.js';
import { cypherBody } from '../schemas.js';
import { HttpError } from '../http-errors.js';

const nameParams = z.strictObject({ name: z.string().min(1).max(100) });

export const queryRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/queries',
    tag: 'queries',
    summary: 'The named queries',
    responds: { status: 200, description: 'Named queries with their filters' },
    handle: () => NAMED_QUERIES,
  }),
  defineRoute<z.infer<typeof nameParams>>({
    method: 'get',
    path: '/api/queries/:name',
    tag: 'queries',
    summary: 'Run a named query',
    params: nameParams,
    responds: { status: 200, description: '{ query, topologies }' },
    handle: async ({ params }, ctx) => {
      const query = namedQuery(params.name);
      if (!query)
        throw new HttpError(
          404,
          `eqprop/server: no named query ${JSON.stringify(params.name)}; expected one of ` +
            `${NAMED_QUERIES.map((q) => q.name).join(', ')}`,
          'name',
          NAMED_QUERIES.map((q) => q.name).join(', '),
        );
      return { query, topologies: await ctx.store.listTopologies({ ...query.filter, limit: 500 }) };
    },
  }),
  defineRoute<Record<string, never>, Record<string, never>, z.output<typeof cypherBody>>({
    method: 'post',
    path: '/api/cypher',
    tag: 'queries',
    summary:
      'Read-only Cypher console (Neo4j store only): plain reads only (no LOAD CSV, SHOW, writes or ' +
      'procedures but db.labels, db.relationshipTypes, db.propertyKeys), checked before sending and by EXPLAIN, ' +
      'run in a READ transaction, streamed up to maxRows',
    body: cypherBody,
    responds: { status: 200, description: '{ columns, rows, truncated, elapsedMs }' },
    handle: ({ body }, ctx) => {
      if (!ctx.cypher) {
        throw new HttpError(
          409,
          `eqprop/server: the Cypher console needs the Neo4j store (this server uses ${ctx.store.kind}); ` +
            `expected EQPROP_STORE=neo4j`,
          'store',
          'the neo4j store (EQPROP_STORE=neo4j)',
        );
      }
      return ctx.cypher.run(body.query, body.params, body.maxRows);
    },
  }),
];
