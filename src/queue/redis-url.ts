/**
 * The Redis address every queue command takes (`--redis <url>` / REDIS_URL), parsed once into
 * the connection options BullMQ wants, plus the one fact the store rule needs: is Redis on this
 * machine (loopback) or somewhere else on the network?
 */
import { isLoopbackHost } from '../../lib/index.js';
import type { RedisOptions } from 'bullmq';
import { InputError } from '../../lib/index.js';

export interface RedisAddress {
  /** The URL as given, password hidden — safe to print. */
  display: string;
  connection: RedisOptions;
  /** Host is localhost / 127.0.0.0/8 / ::1: every worker using it runs on this machine. */
  loopback: boolean;
}

const EXPECTED =
  'a Redis URL such as redis://127.0.0.1:6379 or redis://:password@redis-host:6379/0 (rediss:// for TLS)';

export { isLoopbackHost };

export function parseRedisUrl(raw: string | undefined, field = 'redisUrl'): RedisAddress {
  if (raw === undefined || raw.trim() === '') {
    throw new InputError('queue', field, 'no Redis URL given', EXPECTED);
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError('queue', field, `${JSON.stringify(raw)} is not a URL`, EXPECTED);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new InputError('queue', field, `unsupported scheme ${JSON.stringify(url.protocol)}`, EXPECTED);
  }
  if (!url.hostname) throw new InputError('queue', field, 'no host in the URL', EXPECTED);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0)
    throw new InputError(
      'queue',
      field,
      `database ${JSON.stringify(dbText)} is not a number`,
      `${EXPECTED}; the path is a database index ≥ 0`,
    );
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const connection: RedisOptions = {
    host,
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ workers block on Redis; it requires this to be null so commands wait out reconnects.
    maxRetriesPerRequest: null,
  };
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return { display: shown.href, connection, loopback: isLoopbackHost(host) };
}
