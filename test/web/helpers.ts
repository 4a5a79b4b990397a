/**
 * What the browser tests share: one real server on a temporary SQLite store and one headless
 * Chromium per test file, the API called from Node to set up data (topologies built, tiny runs
 * trained as jobs, waited for on the job's own event stream — never a fixed sleep), and
 * uncaught page errors collected so a test can assert there were none.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { repoRoot, webDistDir } from '../../server/paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(repoRoot(), 'test-artifacts');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL without a GPU: sigma draws through SwiftShader, which newer Chromium only allows when asked.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export function prerequisiteMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; .ci/run does it)`;
  if (!existsSync(join(webDistDir(), 'index.html'))) return 'web/dist is not built (npm run build)';
  return null;
}

export interface BrowserEnv {
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  /** JSON from the API (throws with the answer when the status is not 2xx). */
  api<T = any>(path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startBrowserEnv(name: string): Promise<BrowserEnv> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), `eqprop-${name}-`));
  const config = loadConfig(
    { dataDir: dir, sqlitePath: join(dir, 'eqprop.db'), store: 'sqlite', host: '127.0.0.1', port: 0 },
    {},
  );
  const server = await startServer(config);
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(
      `${server.url}${path}`,
      body === undefined
        ? {}
        : {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { 'Content-Type': 'application/json' },
          },
    );
    const text = await res.text();
    assert.ok(res.ok, `${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    server,
    context,
    page,
    pageErrors,
    api,
    async close() {
      await context.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Read a job's Server-Sent Events until its `end` event; resolves with the end event. */
export async function jobEnd(env: BrowserEnv, jobId: string): Promise<{ status: string; [key: string]: unknown }> {
  const res = await fetch(`${env.server.url}/api/jobs/${jobId}/events`, { headers: { Accept: 'text/event-stream' } });
  assert.ok(res.ok && res.body, `watching job ${jobId}: ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const complete = buffer.slice(0, buffer.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      const event = JSON.parse(line.slice(6));
      if (event.event === 'end') return event;
    }
    buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
  }
  assert.fail(`job ${jobId}: the event stream ended without an end event`);
}

/** Tiny training settings: a run of a few batches that the shared machine finishes in seconds. */
export const TINY_RUN = { epochs: 1, train: 40, eval: 20, batchSize: 20, freeSteps: 20, clampedSteps: 4 };

/** Train a tiny run of a stored topology through the jobs API; resolves with the finished run's id. */
export async function trainTinyRun(
  env: BrowserEnv,
  topologyId: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const job = await env.api('/api/jobs/train', { topologyId, seed: 0, ...TINY_RUN, ...extra });
  const end = await jobEnd(env, job.id);
  assert.equal(end.status, 'done', `tiny run ended ${JSON.stringify(end)}`);
  const jobs = await env.api('/api/jobs');
  const runId = jobs.find((j: { id: string }) => j.id === job.id).runIds[0];
  assert.ok(runId, 'the job filed a run');
  return runId;
}

/** Build a topology through the API (metrics on, no σ/ω); resolves with its record. */
export function buildTopology(env: BrowserEnv, body: Record<string, unknown>): Promise<any> {
  return env.api('/api/topologies', { metrics: true, ...body });
}
