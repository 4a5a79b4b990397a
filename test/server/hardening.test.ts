/**
 * Client mistakes and hostile requests are 4xx with {error, field, expected}, never 5xx: bad
 * percent-encoding, unsupported or broken Content-Encoding, JSON nested 10,000 deep, oversized
 * bodies, query numbers that are not decimal (0x10, blank), metric names reaching the prototype.
 * And the DNS rebinding guard: without a token only Host headers naming this server are served.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { buildTopology } from '../../graph/index.js';
import { loadConfig } from '../../src/config.js';
import { InputError } from '../../lib/errors.js';
import { checkBindPolicy } from '../../server/auth.js';
import { isLoopbackHost } from '../../lib/net/loopback.js';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({}, { bodyLimit: '32kb' });
  const { store } = server.context;
  const net = (n: number, seed: number) => buildTopology({ sizes: [6, 4, 3], mode: 'add', n, seed });
  await store.saveTopology(net(5, 1), { name: 'fixture', metrics: { L: 1.9 } });
  await store.saveTopology(net(2, 3), { name: 'other', metrics: { L: 3.5 } });
});
after(async () => {
  await server.stop();
});

/** A raw HTTP request (fetch forbids setting Host and sends bodies its own way). */
interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

function raw(port: number, options: RawRequest): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const { path, headers } = options;
    const method = options.method ?? 'GET';
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode!, body });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function assertClientError(r: { status: number; body: any }, what: string, status?: number): void {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  if (status !== undefined) assert.equal(r.status, status, what);
  assert.equal(typeof r.body?.error, 'string', `${what}: ${JSON.stringify(r.body).slice(0, 200)}`);
  assert.ok('field' in r.body && 'expected' in r.body, what);
}

test('bad percent-encoding in any path parameter is 400, not 500', async () => {
  const paths = [
    '/api/runs/%ff',
    '/api/topologies/%E0%A4%A',
    '/api/sweeps/%',
    '/api/jobs/%c0%af/events',
    '/api/topologies/x/neurons/%ff',
  ];
  for (const path of paths) {
    assertClientError(await raw(server.port, { path }), path, 400);
  }
  assertClientError(await raw(server.port, { method: 'DELETE', path: '/api/topologies/%ff' }), 'DELETE %ff', 400);
});

test('unsupported or broken Content-Encoding, deep JSON and oversized bodies are 4xx', async () => {
  const json = { 'content-type': 'application/json' };
  const body = JSON.stringify({ sizes: [4, 3], mode: 'layered' });
  const post = (encoding: string, payload: Buffer | string) =>
    raw(server.port, {
      method: 'POST',
      path: '/api/topologies',
      headers: { ...json, 'content-encoding': encoding },
      body: payload,
    });
  assertClientError(await post('zstd-nope', body), 'unknown encoding', 415);
  assertClientError(await post('gzip', body), 'not gzip');
  assertClientError(await post('gzip', gzipSync(body).subarray(0, 12)), 'truncated gzip');
  const bomb = gzipSync(Buffer.alloc(5_000_000, 32)); // 5 MB of spaces in a few KB
  assertClientError(await post('gzip', bomb), 'gzip bomb', 413);
  for (const depth of [40, 10_000]) {
    const deep = `{"sizes":[4,3],"mode":"layered","name":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const r = await raw(server.port, { method: 'POST', path: '/api/topologies', headers: json, body: deep });
    assertClientError(r, `JSON nested ${depth} deep`, 400);
  }
  const deepObject = `{"query":"RETURN 1","params":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
  const deepParams = await raw(server.port, { method: 'POST', path: '/api/cypher', headers: json, body: deepObject });
  assertClientError(deepParams, 'deep params', 400);
  const large = `{"name":"${'x'.repeat(40_000)}"}`;
  const largeAnswer = await raw(server.port, { method: 'POST', path: '/api/topologies', headers: json, body: large });
  assertClientError(largeAnswer, 'large body', 413);
  assert.equal((await server.api('/api/health')).status, 200);
});

test('query numbers are decimal text only: 0x10, blanks, signs, exponents in integers are 400', async () => {
  for (const path of [
    '/api/topologies?limit=0x10',
    '/api/topologies?seed=0x10',
    '/api/topologies?seed=',
    '/api/topologies?pMin=',
    '/api/topologies?pMin=0x1',
    '/api/topologies?nMax=%20',
    '/api/topologies?pMin=1e999',
    '/api/runs?limit=1e2',
    '/api/runs?limit=+5',
    '/api/topologies?limit=5&limit=6',
    '/api/correlations?epoch=0b1',
  ]) {
    assertClientError(await server.api(path), path, 400);
  }
  // The decimal forms still work, including fractions and exponents for real-valued filters.
  assert.equal((await server.api('/api/topologies?limit=16')).status, 200);
  assert.equal((await server.api('/api/topologies?pMin=0.5e-1&nMax=10')).status, 200);
});

test('where cannot name prototype properties; a metric range still filters', async () => {
  for (const where of ['__proto__:1:2', 'constructor:0:', 'L:1:2,__proto__::1', 'hasOwnProperty:0:1', 'L:0x1:']) {
    assertClientError(await server.api(`/api/topologies?where=${encodeURIComponent(where)}`), where, 400);
  }
  const low = await server.api('/api/topologies?where=L:1:2');
  assert.equal(low.status, 200);
  assert.deepEqual(
    low.body.map((t: { name: string }) => t.name),
    ['fixture'],
  );
});

test('Host check without a token: only the bound address, localhost, [::1] on its port, or allowedHosts', async () => {
  const port = server.port;
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
    assert.equal((await raw(port, { path: '/api/health', headers: { host } })).status, 200, host);
  }
  const foreign = [
    'evil.example',
    `evil.example:${port}`,
    `127.0.0.1:${port + 1}`,
    '127.0.0.1',
    `localhost.evil.example:${port}`,
    `[::2]:${port}`,
    `a b:${port}`,
  ];
  for (const host of foreign) {
    const r = await raw(port, { path: '/api/health', headers: { host } });
    assertClientError(r, `Host ${host}`, 421);
    assert.equal(r.body.field, 'host');
  }
  // Not only the API: the web app's pages would hand a rebinding page the UI and its requests.
  assert.equal((await raw(port, { path: '/', headers: { host: 'evil.example' } })).status, 421);

  const listed = await startTestServer({ allowedHosts: 'lab.example.org, box.lan:9999' });
  try {
    const named = await raw(listed.port, { path: '/api/health', headers: { host: `lab.example.org:${listed.port}` } });
    assert.equal(named.status, 200);
    assert.equal((await raw(listed.port, { path: '/api/health', headers: { host: 'box.lan:9999' } })).status, 200);
    assert.equal((await raw(listed.port, { path: '/api/health', headers: { host: 'box.lan:9998' } })).status, 421);
    assert.equal((await raw(listed.port, { path: '/api/health', headers: { host: 'evil.example' } })).status, 421);
  } finally {
    await listed.stop();
  }
  const tokened = await startTestServer({ token: 'a-token-of-sixteen-or-more' });
  try {
    // With a token the token is the guard: any Host with it is served, any Host without it is 401.
    const authorization = 'Bearer a-token-of-sixteen-or-more';
    const r = await raw(tokened.port, { path: '/api/health', headers: { host: 'evil.example', authorization } });
    assert.equal(r.status, 200);
  } finally {
    await tokened.stop();
  }
});

test('allowedHosts is validated from the config file keys, flags and EQPROP_ALLOWED_HOSTS', () => {
  const base = { store: 'sqlite', port: 0, configFile: undefined };
  const fromEnv = loadConfig(base, { EQPROP_ALLOWED_HOSTS: 'A.example:80,[::1]' }).server.allowedHosts;
  assert.deepEqual(fromEnv, ['a.example:80', '[::1]']);
  assert.deepEqual(loadConfig({ ...base, allowedHosts: ['x.lan'] }, {}).server.allowedHosts, ['x.lan']);
  assert.deepEqual(loadConfig(base, {}).server.allowedHosts, []);
  for (const bad of ['http://x.example', 'x.example:0', 'x.example:70000', 'a b', '::1', 'x/y', '*']) {
    assert.throws(
      () => loadConfig(base, { EQPROP_ALLOWED_HOSTS: bad }),
      (e: unknown) => e instanceof InputError && /allowedHosts/.test(e.field),
      bad,
    );
  }
});

test("one loopback test: the bind policy follows isLoopbackHost (the queue's too) on every form, [::1] too", () => {
  for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(host), true, host);
    assert.doesNotThrow(() => checkBindPolicy(host, null), host);
  }
  for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.org', '128.0.0.1', '::2']) {
    assert.equal(isLoopbackHost(host), false, host);
    assert.throws(() => checkBindPolicy(host, null), InputError, host);
  }
});
