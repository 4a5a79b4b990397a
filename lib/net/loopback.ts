/**
 * Is a host name or address this machine's loopback? One answer for every caller (the server's
 * bind policy and Host check, the queue's store rule), so `[::1]` and `::1` cannot disagree.
 */
import { isIP } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // RFC 6761: localhost and its subdomains always resolve to loopback.
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
  return false;
}
