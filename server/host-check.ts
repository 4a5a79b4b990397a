/**
 * DNS rebinding guard. Without a token, a loopback server trusts whoever can reach it, and a web
 * page on evil.example can reach it by re-pointing its own name at 127.0.0.1: the browser then
 * sends `Host: evil.example`. So without a token only Host headers naming this server are served:
 * the bound address, localhost, 127.0.0.1 or [::1], on the bound port, plus the configured
 * `allowedHosts`. With a token the token is the guard (a rebinding page cannot know it).
 */
import type { RequestHandler } from 'express';
import { splitHost } from '../lib/index.js';
import type { ApiErrorBody } from './http-errors.js';

/** The loopback names a local browser may use for this server. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isAllowedHost(
  header: string | undefined,
  boundHost: string,
  port: number,
  allowed: readonly string[],
): boolean {
  if (header === undefined) return false;
  const got = splitHost(header);
  if (got === null) return false;
  const gotPort = got.port ?? 80;
  const lower = boundHost.toLowerCase();
  const bound = lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower; // IPv6 is bracketed in Host
  if (gotPort === port && (got.host === bound || LOOPBACK_NAMES.includes(got.host))) return true;
  return allowed.some((entry) => {
    const want = splitHost(entry);
    return want !== null && want.host === got.host && (want.port === null || want.port === gotPort);
  });
}

/** Middleware answering 421 to requests whose Host header does not name this server. */
export function requireKnownHost(boundHost: string, port: () => number, allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.host;
    if (isAllowedHost(header, boundHost, port(), allowed)) return next();
    res.status(421).json({
      error:
        `eqprop/server: Host ${JSON.stringify(header ?? null)} does not name this server; ` +
        `expected ${LOOPBACK_NAMES.map((h) => `${h}:${port()}`).join(', ')} ` +
        'or a host listed in allowedHosts (EQPROP_ALLOWED_HOSTS)',
      field: 'host',
      expected: `Host: 127.0.0.1:${port()}, localhost:${port()}, [::1]:${port()} or an allowedHosts entry`,
    } satisfies ApiErrorBody);
  };
}
