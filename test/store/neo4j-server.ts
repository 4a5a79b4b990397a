/**
 * A Neo4j for the tests: NEO4J_URI when set (CI may start one up front), otherwise a fresh
 * server started with the project's own launcher (scripts/neo4j.mjs) on a free port with a
 * temporary data directory, stopped when the test file ends. The JVM also exits if this process
 * dies without stopping it (its stdin closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface TestNeo4j {
  uri: string;
  user: string;
  password: string;
  /** A fresh server's data directory and JVM process id (for disk and memory figures); absent for NEO4J_URI. */
  dataDir?: string;
  pid?: number;
  stop(): Promise<void>;
}

interface LauncherModule {
  ensureBuilt(options?: { quiet?: boolean }): void;
  javaArgs(options: {
    port: number;
    dataDir: string;
    heap?: string;
    pageCache?: string;
    exitOnStdinEof?: boolean;
  }): string[];
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'scripts', 'neo4j.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test/neo4j: scripts/neo4j.mjs not found above the test file');
    dir = parent;
  }
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const STARTUP_TIMEOUT_MS = 180_000;

export async function startTestNeo4j(memory: { heap?: string; pageCache?: string } = {}): Promise<TestNeo4j> {
  if (process.env.NEO4J_URI) {
    return {
      uri: process.env.NEO4J_URI,
      user: process.env.NEO4J_USER ?? 'neo4j',
      password: process.env.NEO4J_PASSWORD ?? 'eqprop-lab',
      stop: async () => undefined,
    };
  }
  const launcher = (await import(pathToFileURL(join(packageRoot(), 'scripts', 'neo4j.mjs')).href)) as LauncherModule;
  launcher.ensureBuilt({ quiet: true });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'eqprop-neo4j-'));
  const java = spawn(
    'java',
    launcher.javaArgs({
      port,
      dataDir,
      heap: memory.heap ?? '1g',
      pageCache: memory.pageCache ?? '128m',
      exitOnStdinEof: true,
    }),
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  await waitForReady(java);
  return {
    uri: `bolt://127.0.0.1:${port}`,
    user: 'neo4j',
    password: 'eqprop-lab',
    dataDir,
    ...(java.pid !== undefined ? { pid: java.pid } : {}),
    async stop() {
      await stopProcess(java);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForReady(java: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '',
      err = '';
    const timer = setTimeout(() => {
      java.kill('SIGKILL');
      reject(new Error(`test/neo4j: no READY line after ${STARTUP_TIMEOUT_MS / 1000}s; stderr: ${err.slice(-2000)}`));
    }, STARTUP_TIMEOUT_MS);
    java.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    });
    java.stderr!.on('data', (d) => {
      err += d;
    });
    java.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`test/neo4j: cannot start java (${e.message}); expected Java 17 on PATH`));
    });
    java.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`test/neo4j: Neo4j exited (${code}) before READY; stderr: ${err.slice(-2000)}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a Neo4j for a test file, or says why it could not: under CI=true a missing Java (or a
 * launcher that cannot build) fails the file; elsewhere its tests are skipped with the reason,
 * so a suite never disappears from the report silently.
 */
export async function startTestNeo4jOrSkip(
  memory: { heap?: string; pageCache?: string } = {},
): Promise<{ neo4j: TestNeo4j | null; skip: string | false }> {
  try {
    return { neo4j: await startTestNeo4j(memory), skip: false };
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    return { neo4j: null, skip: `skipped: Neo4j could not be started (${(e as Error).message.slice(0, 300)})` };
  }
}
