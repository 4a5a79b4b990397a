/**
 * Configuration, resolved in one place. Precedence: command-line flags (passed in as
 * `overrides`) over environment variables over an optional JSON config file over defaults.
 *
 * Config file: `--config <file>` / EQPROP_CONFIG, else `./eqprop.config.json` if it exists.
 * Environment: EQPROP_STORE (sqlite|neo4j), EQPROP_DB (SQLite file), NEO4J_URI, NEO4J_USER,
 * NEO4J_PASSWORD, EQPROP_BACKEND (auto|onnxruntime|tensorflow|wasm|cpu), EQPROP_DATA_DIR,
 * EQPROP_HOST, EQPROP_PORT, EQPROP_TOKEN, EQPROP_ALLOWED_HOSTS (comma-separated).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from '../lib/index.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../engine/index.js';
import { parseAllowedHosts } from '../lib/index.js';

export type StoreKind = 'sqlite' | 'neo4j';
/** The engine's backend choices (engine/backend-names.ts, no tfjs import). */
export type BackendChoice = BackendRequest;
export const BACKEND_CHOICES: readonly BackendChoice[] = BACKEND_REQUESTS;

export interface Config {
  store: StoreKind;
  /** Root for data written by default: SQLite file, checkpoints, Neo4j data. */
  dataDir: string;
  sqlitePath: string;
  neo4j: { uri: string; user: string; password: string };
  backend: BackendChoice;
  checkpointDir: string;
  /** allowedHosts: Host header values accepted besides the bound loopback address (DNS rebinding guard). */
  server: { host: string; port: number; token: string | null; allowedHosts: string[] };
}

export type ConfigOverrides = {
  configFile?: string;
  store?: string;
  dataDir?: string;
  sqlitePath?: string;
  neo4jUri?: string;
  neo4jUser?: string;
  neo4jPassword?: string;
  backend?: string;
  checkpointDir?: string;
  host?: string;
  port?: string | number;
  token?: string;
  allowedHosts?: string | string[];
};

/**
 * The JSON config file: flat, the same names as ConfigOverrides, validated strictly (zod) so a
 * wrong type or an unknown key is an InputError naming the file and the key, not a crash later.
 */
const text = z.string().min(1);
const CONFIG_FILE_SCHEMA = z.strictObject({
  store: z.enum(['sqlite', 'neo4j']).optional(),
  dataDir: text.optional(),
  sqlitePath: text.optional(),
  neo4jUri: text.optional(),
  neo4jUser: text.optional(),
  neo4jPassword: z.string().optional(),
  backend: z.enum(BACKEND_CHOICES as [BackendChoice, ...BackendChoice[]]).optional(),
  checkpointDir: text.optional(),
  host: text.optional(),
  port: z.union([z.int().min(0).max(65535), z.string().regex(/^\d{1,5}$/)]).optional(),
  token: z.string().optional(),
  allowedHosts: z.union([z.string(), z.array(z.string())]).optional(),
});
const FILE_KEYS = Object.keys(CONFIG_FILE_SCHEMA.shape);

function readConfigFile(path: string, explicit: boolean): ConfigOverrides {
  if (!existsSync(path)) {
    if (explicit)
      throw new InputError('config', 'configFile', `file ${path} does not exist`, 'the path of a JSON config file');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError('config', path, `not valid JSON (${(e as Error).message})`, 'a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('config', path, 'not a JSON object', `an object with keys among ${FILE_KEYS.join(', ')}`);
  }
  const result = CONFIG_FILE_SCHEMA.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : String(issue.path[0] ?? '');
    const problem =
      issue.code === 'unrecognized_keys'
        ? 'unknown key'
        : `${JSON.stringify((parsed as Record<string, unknown>)[key])} (${issue.message})`;
    const expected =
      issue.code === 'unrecognized_keys' ? `one of ${FILE_KEYS.join(', ')}` : (EXPECTED[key] ?? 'a valid value');
    throw new InputError('config', `${path}: ${key}`, problem, expected);
  }
  return result.data as ConfigOverrides;
}

/** What each config-file key accepts, in words, for the error message. */
const EXPECTED: Record<string, string> = {
  store: 'sqlite or neo4j',
  backend: BACKEND_CHOICES.join(', '),
  port: 'an integer in [0, 65535]',
  neo4jPassword: 'a string',
  token: 'a string',
};
for (const key of ['dataDir', 'sqlitePath', 'neo4jUri', 'neo4jUser', 'checkpointDir', 'host'])
  EXPECTED[key] = 'a non-empty string';

function pick<T>(...values: (T | undefined | null | '')[]): T | undefined {
  for (const v of values) if (v !== undefined && v !== null && v !== '') return v as T;
  return undefined;
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const explicitFile = pick<string>(overrides.configFile, env.EQPROP_CONFIG);
  const file = readConfigFile(explicitFile ?? 'eqprop.config.json', explicitFile !== undefined);

  const store = pick<string>(overrides.store, env.EQPROP_STORE, file.store) ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'neo4j') {
    throw new InputError(
      'config',
      'store (--store / EQPROP_STORE)',
      `unknown store ${JSON.stringify(store)}`,
      'sqlite or neo4j',
    );
  }
  const backend = pick<string>(overrides.backend, env.EQPROP_BACKEND, file.backend) ?? 'auto';
  if (!(BACKEND_CHOICES as readonly string[]).includes(backend)) {
    throw new InputError(
      'config',
      'backend (--backend / EQPROP_BACKEND)',
      `unknown backend ${JSON.stringify(backend)}`,
      BACKEND_CHOICES.join(', '),
    );
  }
  const dataDir = resolve(pick<string>(overrides.dataDir, env.EQPROP_DATA_DIR, file.dataDir) ?? 'data');
  const portRaw = pick<string | number>(overrides.port, env.EQPROP_PORT, file.port) ?? 8080;
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(
      'config',
      'port (--port / EQPROP_PORT)',
      `${JSON.stringify(portRaw)} is not a port`,
      'an integer in [0, 65535]',
    );
  }
  return {
    store,
    dataDir,
    sqlitePath: resolve(
      pick<string>(overrides.sqlitePath, env.EQPROP_DB, file.sqlitePath) ?? join(dataDir, 'eqprop.db'),
    ),
    neo4j: {
      uri: pick<string>(overrides.neo4jUri, env.NEO4J_URI, file.neo4jUri) ?? 'bolt://127.0.0.1:7687',
      user: pick<string>(overrides.neo4jUser, env.NEO4J_USER, file.neo4jUser) ?? 'neo4j',
      password: pick<string>(overrides.neo4jPassword, env.NEO4J_PASSWORD, file.neo4jPassword) ?? 'eqprop-lab',
    },
    backend: backend as BackendChoice,
    checkpointDir: resolve(
      pick<string>(overrides.checkpointDir, env.EQPROP_CHECKPOINT_DIR, file.checkpointDir) ??
        join(dataDir, 'checkpoints'),
    ),
    server: {
      host: pick<string>(overrides.host, env.EQPROP_HOST, file.host) ?? '127.0.0.1',
      port,
      token: pick<string>(overrides.token, env.EQPROP_TOKEN, file.token) ?? null,
      allowedHosts: parseAllowedHosts(
        pick<string | string[]>(overrides.allowedHosts, env.EQPROP_ALLOWED_HOSTS, file.allowedHosts),
        'allowedHosts (EQPROP_ALLOWED_HOSTS)',
      ),
    },
  };
}

/**
 * The environment variables that make a child process (a training job, a sweep worker) resolve
 * the same store, data directory, checkpoints and backend as this one: the inverse of the
 * environment part of loadConfig.
 */
export function configToEnv(config: Config): Record<string, string> {
  return {
    EQPROP_STORE: config.store,
    EQPROP_DB: config.sqlitePath,
    EQPROP_DATA_DIR: config.dataDir,
    EQPROP_CHECKPOINT_DIR: config.checkpointDir,
    EQPROP_BACKEND: config.backend,
    NEO4J_URI: config.neo4j.uri,
    NEO4J_USER: config.neo4j.user,
    NEO4J_PASSWORD: config.neo4j.password,
  };
}

/**
 * The resolved configuration as environment variables, so child processes (sweep workers, queue
 * jobs) use exactly the parent's store, checkpoints and backend whatever flags or file it read.
 */
export function configEnv(config: Config, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...configToEnv(config) };
}
