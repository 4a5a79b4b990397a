/** Shared by the server tests: a real server on an ephemeral port with a temporary SQLite file. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type ConfigOverrides } from '../../src/config.js';
import Database from 'better-sqlite3';
import { startServer, type RunningServer, type StartOptions } from '../../server/start.js';

export interface TestServer extends RunningServer {
  dir: string;
  /** fetch relative to the server, JSON in and out. */
  api(
    path: string,
    init?: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startTestServer(
  overrides: ConfigOverrides = {},
  options: StartOptions = {},
  connectHost = '127.0.0.1',
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-server-'));
  const config = loadConfig(
    {
      dataDir: dir,
      sqlitePath: join(dir, 'eqprop.db'),
      store: 'sqlite',
      port: 0,
      host: '127.0.0.1',
      configFile: undefined,
      ...overrides,
    },
    {},
  );
  const server = await startServer(config, { webDir: null, ...options });
  const base = `http://${connectHost}:${server.port}`;
  return {
    ...server,
    dir,
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      let body: string | undefined;
      if (init.rawBody !== undefined) body = init.rawBody;
      else if (init.body !== undefined) body = JSON.stringify(init.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${base}${path}`, {
        method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
        headers,
        body,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? null : JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows per table of a SQLite store: a rejected request must leave every count as it was. */
export function rowCounts(db: {
  prepare(sql: string): { pluck(): { all(): unknown[]; get(): unknown } };
}): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
}

type CountableDb = Parameters<typeof rowCounts>[0];

/** A job request the API must refuse: 400 naming the API field, no CLI flag named, no row written, no job started. */
export async function assertRefused(
  server: TestServer,
  db: CountableDb,
  path: string,
  what: string,
  body: Record<string, unknown>,
  field: string,
): Promise<void> {
  const before = rowCounts(db);
  const r = await server.api(path, { body });
  assert.equal(r.status, 400, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  assert.equal(r.body.field, field, `${what}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body.expected, 'string', what);
  assert.doesNotMatch(JSON.stringify(r.body), /--[a-z]/, `${what}: the answer names CLI flags`);
  assert.deepEqual(rowCounts(db), before, `${what}: left rows behind`);
  assert.deepEqual(server.context.jobs.list(), [], `${what}: a job was started`);
}

/** A test server and a read-only handle on its SQLite file: what the refusal suites count rows with. */
export async function startServerWithDb(): Promise<{ server: TestServer; db: Database.Database }> {
  const server = await startTestServer();
  return { server, db: new Database(server.context.config.sqlitePath, { readonly: true, fileMustExist: true }) };
}

export async function stopServerWithDb(
  server: TestServer | undefined,
  db: Database.Database | undefined,
): Promise<void> {
  db?.close();
  await server?.stop();
}
