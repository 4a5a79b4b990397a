/**
 * Errors from layers shared with the CLI (graph/spec.ts's validateSpec, the run and sweep
 * validation) name command-line flags (`--p`, `--mode`). An API client sent body fields, so the
 * API renames them before answering: `"field":"p"`, "mode replace needs n or p", never `--p`.
 */
import { InputError } from '../graph/errors.js';
import { HttpError } from './http-errors.js';

/** An InputError naming flags as a 400 naming the API fields they map to; anything else unchanged. */
function renamed(fieldOfFlag: Record<string, string>, e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const rename = (text: string) => text.replace(/--[a-z][a-z-]*/g, (flag) => fieldOfFlag[flag] ?? flag);
  return new HttpError(400, rename(e.message), rename(e.field), rename(e.expected));
}

/** Runs fn; an InputError naming flags is rethrown as a 400 naming the API fields they map to. */
export function withApiFieldNames<T>(fieldOfFlag: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw renamed(fieldOfFlag, e);
  }
}

/** withApiFieldNames for asynchronous checks (a stored topology's sizes are read from the store). */
export async function withApiFieldNamesAsync<T>(fieldOfFlag: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw renamed(fieldOfFlag, e);
  }
}

/** The topology body's fields by the flags graph/spec.ts names. */
export const TOPOLOGY_BODY_FIELDS: Record<string, string> = {
  '--sizes': 'sizes',
  '--mode': 'mode',
  '--n': 'n',
  '--p': 'p',
  '--seed': 'seed',
  '--span-min': 'spanMin',
  '--span-max': 'spanMax',
  '--skip-target': 'targetLayer',
  '--skip-bound': 'skipBound',
};
