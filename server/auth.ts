/**
 * Bearer-token access control. Binding anywhere but loopback exposes training (arbitrary CPU
 * use) and deletion to the network, so it is refused without a token; with a token every /api
 * request must carry `Authorization: Bearer <token>` (compared in constant time). The static web
 * app itself holds no data and stays public; it asks for the token and sends it with each call.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { InputError, isLoopbackHost, ref, text } from '../lib/index.js';
import type { ApiErrorBody } from './http-errors.js';

/** Throws InputError when the host is off loopback and no token is configured. */
export function checkBindPolicy(host: string, token: string | null): void {
  if (!isLoopbackHost(host) && (token === null || token.length === 0)) {
    throw new InputError(
      'server',
      'host',
      `binding to ${host} (not loopback) without a token`,
      text`a ${ref('token')} (at least 16 characters) when the host is not 127.0.0.1, ::1 or localhost`,
    );
  }
  if (token !== null && token.length > 0 && token.length < 16) {
    throw new InputError('server', 'token', 'shorter than 16 characters', 'a token of at least 16 characters');
  }
}

// Hash both sides so timingSafeEqual compares equal-length buffers whatever the input length.
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function requireToken(token: string): RequestHandler {
  const want = digest(token);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]!.trim()), want)) return next();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer')
      .json({
        error:
          `eqprop/server: ${match ? 'wrong' : 'missing'} bearer token; expected an Authorization: Bearer <token> ` +
          `header with the server's token`,
        field: 'authorization',
        expected: 'Authorization: Bearer <token>',
      } satisfies ApiErrorBody);
  };
}
