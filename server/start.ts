/**
 * Starting and stopping the server: check the bind policy, open the store, create the job
 * manager (its children get the same store settings through the environment), listen.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { configToEnv, type Config } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { checkBindPolicy } from './auth.js';
import { InputError } from '../lib/index.js';
import { createApp } from './app.js';
import type { ServerContext } from './context.js';
import { JobManager } from './jobs/manager.js';
import { TopologyCache } from './topology-cache.js';
import { CypherConsole } from './cypher-console.js';
import { cliPath, repoRoot, webDistDir } from './paths.js';
import { BuildSlots, resolveBuildLimits, type BuildLimits } from './build-limits.js';
import { terminateAllWorkers } from './run-worker.js';
import { packageVersion } from '../lib/index.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  context: ServerContext;
  /** The Express app (tests read its router to compare with the OpenAPI document). */
  app: Express;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Built web app directory; default web/dist; null for API only. */
  webDir?: string | null;
  bodyLimit?: string | number;
  /** Training processes running at once (a sweep with workers: k counts k). */
  maxRunningJobs?: number;
  /** Topology build limits; unset fields come from EQPROP_BUILD_* or the defaults. */
  buildLimits?: Partial<BuildLimits>;
}

/** The environment a job's child process needs to use the same store, backend and data dir. */
export function childEnvironment(config: Config): Record<string, string> {
  return configToEnv(config);
}

/** A failed listen as the user's problem when it is one (port taken, not allowed, no such address). */
function listenError(e: unknown, config: Config): unknown {
  const code = (e as { code?: unknown }).code;
  const where = `${config.server.host}:${config.server.port}`;
  if (code === 'EADDRINUSE')
    return new InputError('server', 'port', `${where} is already in use`, 'a free port (0 picks one)');
  if (code === 'EACCES')
    return new InputError('server', 'port', `not allowed to listen on ${where}`, 'a port above 1023 (0 picks one)');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new InputError(
      'server',
      'host',
      `${config.server.host} is not an address of this machine`,
      'a local interface address, e.g. 127.0.0.1',
    );
  return e;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  checkBindPolicy(config.server.host, config.server.token);
  const builds = new BuildSlots(resolveBuildLimits(options.buildLimits));
  const store = await openStore(config);
  const root = repoRoot();
  const version = packageVersion();
  const jobs = new JobManager({
    cli: cliPath(),
    env: childEnvironment(config),
    cwd: root,
    maxRunning: options.maxRunningJobs ?? 2,
  });
  const cypher = config.store === 'neo4j' ? new CypherConsole(config.neo4j) : null;
  const context: ServerContext = {
    config,
    store,
    jobs,
    topologies: new TopologyCache(config),
    builds,
    cypher,
    startedAt: Date.now(),
    version,
  };
  let boundPort = config.server.port;
  const webDir = options.webDir === undefined ? webDistDir() : options.webDir;
  const app = createApp(context, { webDir, bodyLimit: options.bodyLimit, port: () => boundPort });

  let server: Server;
  try {
    server = await new Promise((resolve, reject) => {
      const s = app.listen(config.server.port, config.server.host, (err?: Error) => (err ? reject(err) : resolve(s)));
      s.once('error', reject);
    });
  } catch (e) {
    await store.close();
    throw listenError(e, config);
  }
  const port = (server.address() as AddressInfo).port;
  boundPort = port;
  const hostForUrl = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    context,
    app,
    close() {
      closing ??= (async () => {
        // Builds and loads in worker threads end now: a long build must not hold the shutdown open.
        await Promise.all([jobs.stopAll(), terminateAllWorkers()]);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections(); // SSE streams would otherwise hold close() open
        });
        await cypher?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
