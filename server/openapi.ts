/**
 * The OpenAPI 3.1 document, generated from the route table (the same records Express mounts),
 * with request schemas converted from zod by z.toJSONSchema.
 */
import { z } from 'zod';
import type { Route } from './route.js';

/** `/api/topologies/:id` → `/api/topologies/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** /api/runs/{id}/epochs → ApiRunsIdEpochs: the path's words, each capitalised, without separators. */
function camelCasePath(path: string): string {
  return path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase());
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Query and path parameters as OpenAPI parameter objects (one per property of the object schema). */
function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  // Query and path values arrive as text and are parsed (decimal digits → integer), so the
  // parsed side says what is accepted; whether a parameter may be left out is an input fact.
  const parsed = jsonSchema(schema, 'output') as { properties?: Record<string, unknown> };
  const input = jsonSchema(schema, 'input') as { required?: string[] };
  return Object.entries(parsed.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (input.required ?? []).includes(name),
    schema: s,
  }));
}

const errorSchema = {
  type: 'object',
  required: ['error', 'field', 'expected'],
  properties: {
    error: { type: 'string' },
    field: { type: ['string', 'null'] },
    expected: { type: ['string', 'null'] },
  },
};

export function buildOpenApi(
  routes: readonly Route[],
  info: { version: string; bearer: boolean },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.path);
    const responses: Record<string, unknown> = {
      [String(r.responds.status)]: {
        description: r.responds.description,
        content: r.responds.stream
          ? { [r.responds.stream]: { schema: { type: 'string' } } }
          : r.responds.status === 204
            ? undefined
            : { 'application/json': { schema: r.responds.schema ? jsonSchema(r.responds.schema) : {} } },
      },
      '400': {
        description: 'Invalid input',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      ...(r.path.includes(':')
        ? {
            '404': {
              description: 'Unknown id',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          }
        : {}),
      ...(info.bearer
        ? {
            '401': {
              description: 'Missing or wrong bearer token',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          }
        : {}),
    };
    paths[p] ??= {};
    paths[p][r.method] = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${camelCasePath(p)}`,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'eqprop-lab API',
      version: info.version,
      description:
        'Topologies, training runs, sweeps and their measurements. Errors are JSON {error, field, expected}.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      ...(info.bearer ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
    ...(info.bearer ? { security: [{ bearer: [] }] } : {}),
  };
}
