/**
 * /api/openapi.json matches the routes Express actually registered: every registered route is
 * documented and every documented operation is registered. The registered list is read from
 * Express's own router, not from the route table the document is generated from.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function registeredApiRoutes(): Set<string> {
  const stack = (server.app as unknown as { router: { stack: Layer[] } }).router.stack;
  const out = new Set<string>();
  for (const layer of stack) {
    if (!layer.route?.path.startsWith('/api')) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) {
      if (on && method !== '_all') out.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out;
}

test('every registered /api route is in the OpenAPI document and vice versa', async () => {
  const r = await server.api('/api/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.body.openapi, /^3\./);
  const documented = new Set<string>();
  for (const [path, ops] of Object.entries(r.body.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
  }
  const registered = registeredApiRoutes();
  assert.ok(registered.size >= 20, `expected the full API, found ${registered.size} routes`);
  assert.deepEqual(
    [...registered].filter((x) => !documented.has(x)),
    [],
    'registered but not documented',
  );
  assert.deepEqual(
    [...documented].filter((x) => !registered.has(x)),
    [],
    'documented but not registered',
  );
});

test('documented parameters and bodies match what the routes validate', async () => {
  const doc = (await server.api('/api/openapi.json')).body;
  const build = doc.paths['/api/topologies'].post;
  assert.deepEqual(build.requestBody.content['application/json'].schema.properties.mode.enum, [
    'layered',
    'replace',
    'add',
    'per-connection',
    'no-intralayer',
  ]);
  // Every path template variable is declared as a path parameter.
  for (const [path, ops] of Object.entries(
    doc.paths as Record<string, Record<string, { parameters: { name: string; in: string }[] }>>,
  )) {
    const vars = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const op of Object.values(ops)) {
      assert.deepEqual(
        op.parameters
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort(),
        vars,
        path,
      );
    }
  }
  // A documented query parameter is accepted; the limit documented as max 1000 is enforced there.
  const limit = doc.paths['/api/topologies'].get.parameters.find((p: { name: string }) => p.name === 'limit');
  assert.equal(limit.schema.maximum, 1000);
  assert.equal((await server.api('/api/topologies?limit=1000')).status, 200);
  assert.equal((await server.api('/api/topologies?limit=1001')).status, 400);
});
