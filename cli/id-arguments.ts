/**
 * The `<ids...>` of commands that take a sweep or runs (report, predictors): each id exactly or as
 * a unique prefix; one id that names a sweep is the sweep, anything else must name runs.
 */
import { InputError } from '../lib/index.js';
import { NotFoundError, type Store } from '../src/store/index.js';
import { resolveId } from '../src/store/index.js';

/** The full id of the sweep that id names (exactly or as a unique prefix), or null. */
export async function sweepNamed(store: Store, id: string): Promise<string | null> {
  try {
    return await resolveId(store, 'sweep', id, '<ids>');
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** The full id of the run that id names (exactly or as a unique prefix). */
export async function runNamed(store: Store, id: string): Promise<string> {
  try {
    return await resolveId(store, 'run', id, '<ids>');
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new InputError(
        'cli',
        '<ids>',
        `no run or sweep ${JSON.stringify(id)} in ${store.location}`,
        'the id of a stored run or sweep (eqprop runs list, eqprop sweep list)',
      );
    }
    throw e;
  }
}
