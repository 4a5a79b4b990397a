/**
 * Off loopback a token is mandatory: the server refuses to start without one, and with one every
 * /api request needs `Authorization: Bearer <token>`. The server is bound to 0.0.0.0 and reached
 * over 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../server/start.js';
import { InputError } from '../../lib/errors.js';
import { startTestServer } from './helpers.js';

test('binding off loopback without a token is refused at start', async () => {
  const config = loadConfig(
    { host: '0.0.0.0', port: 0, store: 'sqlite', sqlitePath: '/nonexistent/never-opened.db' },
    {},
  );
  await assert.rejects(
    startServer(config, { webDir: null }),
    (e: unknown) => e instanceof InputError && /token/.test(e.expected),
  );
});

test('with a token, /api requests without it or with a wrong one get 401 JSON; with it they pass', async () => {
  const token = 'test-token-0123456789abcdef';
  const server = await startTestServer({ host: '0.0.0.0', token });
  try {
    const none = await server.api('/api/health');
    assert.equal(none.status, 401);
    assert.equal(none.body.field, 'authorization');
    assert.match(none.body.error, /missing bearer token/);
    const wrong = await server.api('/api/topologies', { headers: { authorization: 'Bearer not-the-token-at-all' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error, /wrong bearer token/);
    // Even a body that would be too large or invalid is answered 401 first (no work before auth).
    assert.equal((await server.api('/api/topologies', { body: { sizes: 'x' } })).status, 401);
    const ok = await server.api('/api/health', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.ok, true);
    const doc = await server.api('/api/openapi.json', { headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual(doc.body.security, [{ bearer: [] }]);
  } finally {
    await server.stop();
  }
});

test('on loopback without a token the API is open', async () => {
  const server = await startTestServer();
  try {
    assert.equal((await server.api('/api/health')).status, 200);
  } finally {
    await server.stop();
  }
});

test('a port already in use is an InputError naming the port field', async () => {
  const first = await startTestServer();
  try {
    const config = loadConfig(
      { host: '127.0.0.1', port: first.port, store: 'sqlite', sqlitePath: `${first.dir}/second.db` },
      {},
    );
    await assert.rejects(
      startServer(config, { webDir: null }),
      (e: unknown) => e instanceof InputError && e.field === 'port' && /in use/.test(e.message),
    );
    assert.equal((await first.api('/api/health')).status, 200);
  } finally {
    await first.stop();
  }
});
