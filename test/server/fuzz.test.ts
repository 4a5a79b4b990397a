/**
 * A bounded, deterministic fuzz of the whole API: 600 hostile requests, generated from a fixed
 * seed over every operation in the OpenAPI document (so a new route is fuzzed without editing
 * this file). Mixed types, unknown keys, `__proto__`, huge and non-finite numbers, hex and blank
 * numbers, bad percent-encoding, broken JSON and Content-Encoding, JSON nested thousands deep.
 * It fails on any 5xx, on a crash (the in-process server would take the test down with it, and
 * health is probed as it goes), on prototype pollution, and on any row a rejected request leaves
 * in the store (a real SQLite file, every table counted before and after each rejected request).
 * Bodies for routes that start work (jobs, builds) are always invalid, so nothing trains.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { buildTopology } from '../../graph/index.js';
import { startTestServer, type TestServer } from './helpers.js';

const REQUESTS = 600;
const SEED = 0x5eed14;

let server: TestServer;
let fixtureId: string;
let db: Database.Database;

before(async () => {
  server = await startTestServer({}, { bodyLimit: '64kb' });
  const fixture = buildTopology({ sizes: [5, 4, 3], mode: 'add', n: 3, seed: 1 });
  fixtureId = await server.context.store.saveTopology(fixture, { name: 'fuzz-fixture', metrics: { L: 2 } });
  db = new Database(server.context.config.sqlitePath, { readonly: true, fileMustExist: true });
});
after(async () => {
  db?.close();
  await server?.stop();
});

/** mulberry32: a tiny seeded generator, so every run sends the same requests. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyKeys: string[] | null;
}

function operationsOf(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as { name: string; in: string }[];
      const schema = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodyKeys: schema ? Object.keys(schema.properties ?? {}) : null,
      });
    }
  }
  return ops;
}

/** Hostile JSON values as text (so 1e400, duplicate and __proto__ keys survive). */
const HOSTILE_VALUES = [
  'null',
  'true',
  'false',
  '-1',
  '0',
  '1',
  '0.5',
  '1e308',
  '-1e308',
  '1e400',
  '9007199254740993',
  '-0',
  '""',
  '"0x10"',
  '" "',
  '"__proto__"',
  '"constructor"',
  '"\\u0000"',
  `"${'x'.repeat(300)}"`,
  '{}',
  '[]',
  '[1,"a",null]',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '[784,500,10]',
  '"layered"',
  '"../../etc/passwd"',
  '"%ff"',
];
/** Hostile query and path values, already percent-encoded or deliberately not. */
const HOSTILE_TEXT = [
  '',
  '0',
  '-1',
  '0x10',
  '1e999',
  'NaN',
  'Infinity',
  '%ff',
  '%',
  '%E0%A4%A',
  '__proto__',
  'constructor',
  '__proto__:1:2',
  'L:0x1:',
  '1,2,3',
  '99999999999999999999',
  '%00',
  'a%2Fb',
  '..%2F..',
  'L::',
  encodeURIComponent('é'),
  'x'.repeat(250),
];

interface Generated {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Built to be invalid: must be refused. */
  mustReject: boolean;
}

function generate(ops: Operation[], random: () => number): Generated {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const op = pick(ops);
  let path = op.path;
  for (const name of op.pathParams) {
    // Real ids sometimes, so handlers past the 404 run too (never for DELETE: rejected requests must not remove rows).
    const useFixture = op.method !== 'DELETE' && random() < 0.25;
    const value =
      name === 'neuron'
        ? pick(['0', '4', '12', '-1', '0x1', '1e3', '%ff', '99999999999'])
        : useFixture
          ? fixtureId
          : pick(HOSTILE_TEXT) || 'x';
    path = path.replace(`{${name}}`, value.replace(/\//g, '%2F'));
  }
  const query: string[] = [];
  const keys = [...op.queryParams, 'unknown', '__proto__', 'constructor[x]', 'limit'];
  for (let i = Math.floor(random() * 4); i > 0; i--) query.push(`${pick(keys)}=${pick(HOSTILE_TEXT)}`);
  if (query.length > 0) path += `?${query.join('&')}`;

  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  let mustReject = false;
  if (op.bodyKeys !== null) {
    mustReject = true; // every generated body for a body route is invalid on purpose (see below)
    headers['content-type'] = pick([
      'application/json',
      'application/json',
      'application/json; charset=utf-16',
      'text/plain',
    ]);
    const style = Math.floor(random() * 8);
    let text: string;
    if (style === 0) text = `[${pick(HOSTILE_VALUES)}]`;
    else if (style === 1) text = pick(['{', '{"a":', 'nul', '{"a":1,}', "{'a':1}", '\u0000', '']);
    else if (style === 2 || style === 3) {
      // Deep values under a documented key: validation messages and encoders recurse into those.
      const depth = 2000 + Math.floor(random() * 8000);
      const deep =
        style === 2
          ? `${'['.repeat(depth)}${']'.repeat(depth)}`
          : `${'{"a":'.repeat(depth / 4)}1${'}'.repeat(depth / 4)}`;
      text = `{"${pick(op.bodyKeys.length > 0 ? op.bodyKeys : ['a'])}":${deep}}`;
    } else {
      // An object of documented keys with hostile values plus at least one key the schema does not allow.
      const entries = op.bodyKeys.filter(() => random() < 0.6).map((k) => `"${k}":${pick(HOSTILE_VALUES)}`);
      const unknownKey = pick(['__proto__', 'constructor', 'prototype', 'evil', 'sizes ']);
      entries.splice(Math.floor(random() * (entries.length + 1)), 0, `"${unknownKey}":${pick(HOSTILE_VALUES)}`);
      text = `{${entries.join(',')}}`;
    }
    body = Buffer.from(text);
    const encoding = random();
    if (encoding < 0.08) {
      headers['content-encoding'] = 'gzip';
      body = random() < 0.5 ? gzipSync(body).subarray(0, 10) : body; // truncated gzip, or plain text claiming gzip
    } else if (encoding < 0.12) {
      headers['content-encoding'] = pick(['zstd', 'x-evil', 'gzip, gzip, gzip']);
    }
  }
  return { method: random() < 0.04 ? pick(['PUT', 'PATCH', 'OPTIONS']) : op.method, path, headers, body, mustReject };
}

function send(r: Generated): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time: a reused keep-alive socket the server closed after an error reads as a hang-up.
    const { method, path, headers } = r;
    const options = { host: '127.0.0.1', port: server.port, method, path, headers, agent: false };
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      // SSE streams of finished or unknown jobs end by themselves; stop reading after a little anyway.
      res.on('data', (d) => {
        text += d;
        if (text.length > 200_000) res.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
      res.on('close', () => resolve({ status: res.statusCode!, text }));
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer in 20 s to ${r.method} ${r.path}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

function rowCounts(): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
}

const title =
  `${REQUESTS} seeded hostile requests over every documented operation: ` +
  'no 5xx, no crash, nothing written by a rejection';
test(title, { timeout: 120_000 }, async () => {
  const get = (path: string) => send({ method: 'GET', path, headers: {}, mustReject: false });
  const doc = JSON.parse((await get('/api/openapi.json')).text);
  const ops = operationsOf(doc);
  assert.ok(ops.length >= 20, `the document lists ${ops.length} operations`);
  const random = rng(SEED);
  const covered = new Set<string>();
  const failures: string[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const r = generate(ops, random);
    const before = rowCounts();
    const bodyStart = JSON.stringify(r.body?.subarray(0, 80).toString('latin1') ?? '');
    const where = `#${i} ${r.method} ${r.path.slice(0, 120)} ${JSON.stringify(r.headers)} ${bodyStart}`;
    let answer: { status: number; text: string };
    try {
      answer = await send(r);
    } catch (e) {
      failures.push(`${where} → no answer (${(e as Error).message})`); // a dropped connection is a server failure too
      continue;
    }
    const { status, text } = answer;
    covered.add(r.method);
    if (status >= 500) failures.push(`${where} → ${status} ${text.slice(0, 200)}`);
    if (r.mustReject && status < 400) failures.push(`${where} → ${status}: an invalid body was accepted`);
    if (status >= 400) {
      let shape: any = null;
      try {
        shape = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      if (typeof shape?.error !== 'string' || !('field' in shape) || !('expected' in shape)) {
        failures.push(`${where} → ${status} without the error shape: ${text.slice(0, 120)}`);
      }
      assert.deepEqual(rowCounts(), before, `${where} → ${status} left rows behind`);
    }
    if (i % 100 === 99) assert.equal((await get('/api/health')).status, 200, `health after #${i}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  assert.equal((await server.api(`/api/topologies/${fixtureId}`)).status, 200, 'the fixture survived');
  assert.equal(server.context.jobs.list().length, 0, 'no job was started');
  // Every documented method was sent (600 draws over ~25 operations).
  for (const m of new Set(ops.map((o) => o.method))) assert.ok(covered.has(m), `no ${m} request was generated`);
});
