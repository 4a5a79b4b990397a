/**
 * Errors from layers shared with the CLI (graph/spec.ts's validateSpec) name command-line flags
 * (`--p`, `--mode`). An API client sent body fields, so the API renames them before answering:
 * `"field":"p"`, "mode replace needs n or p", never `--p`.
 */
import { InputError } from '../graph/errors.js';
import { HttpError } from './http-errors.js';

/** Runs fn; an InputError naming flags is rethrown as a 400 naming the API fields they map to. */
export function withApiFieldNames<T>(fieldOfFlag: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const rename = (text: string) => text.replace(/--[a-z][a-z-]*/g, (flag) => fieldOfFlag[flag] ?? flag);
    throw new HttpError(400, rename(e.message), rename(e.field), rename(e.expected));
  }
}

/** The topology body's fields by the flags graph/spec.ts names. */
export const TOPOLOGY_BODY_FIELDS: Record<string, string> = {
  '--sizes': 'sizes', '--mode': 'mode', '--n': 'n', '--p': 'p', '--seed': 'seed',
};
