/** Generated ids and timestamps: one place, so both stores mint them the same way. */
import { randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

export function nowIso(): string {
  return new Date().toISOString();
}
