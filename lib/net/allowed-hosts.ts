/**
 * Extra Host header values the server accepts besides its own loopback address (config key
 * `allowedHosts`, environment EQPROP_ALLOWED_HOSTS as a comma-separated list). Each entry is a
 * host name, an IPv4 address or a bracketed IPv6 address, optionally with `:port`; an entry
 * without a port matches the host on any port.
 */
import { isIP } from 'node:net';
import { InputError } from '../errors.js';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ENTRY = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** A Host header value (or config entry) split into lower-case host and port, or null when malformed. */
export function splitHost(value: string): { host: string; port: number | null } | null {
  const match = ENTRY.exec(value.trim().toLowerCase());
  if (!match) return null;
  const host = match[1]!;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  const bare = host.replace(/^\[|\]$/g, '');
  const valid = host.startsWith('[') ? isIP(bare) === 6 : isIP(host) === 4 || HOST_NAME.test(host);
  return valid ? { host, port } : null;
}

export function parseAllowedHosts(raw: string | readonly unknown[] | undefined, field: string): string[] {
  if (raw === undefined) return [];
  const entries =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== '')
      : raw;
  return entries.map((entry) => {
    if (typeof entry !== 'string' || splitHost(entry) === null) {
      throw new InputError(
        'config',
        field,
        `${JSON.stringify(entry)} is not a host`,
        'host names, IPv4 addresses or [IPv6] addresses, each optionally with :port (e.g. lab.example.org:8080)',
      );
    }
    return entry.trim().toLowerCase();
  });
}
