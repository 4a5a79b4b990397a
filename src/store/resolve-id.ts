/**
 * Short ids. The web app and the tables print the first 8 characters of long ids, so a user may
 * give any unique prefix of a run, sweep or topology id wherever a full id is accepted. The CLI and
 * the API both resolve through resolveId, so both accept and refuse the same things.
 *
 * Rules: an exact id always wins (an id may be the prefix of another: `fig5` and `fig5-big`); a
 * prefix must have at least MIN_PREFIX characters from the id alphabet; no match → NotFoundError
 * as for a full id; several matches → AmbiguousIdError (an InputError: CLI exit 2, API 400) that
 * lists them. The lookup reads at most MAX_LISTED + 1 ids, however many the store holds.
 */
import { InputError } from '../../lib/index.js';
import { NotFoundError, type IdEntity, type Store } from './contract.js';

export const MIN_PREFIX = 4;
/** How many matches an ambiguity error lists. */
export const MAX_LISTED = 10;
/** The characters of ids the project mints (UUIDs, topo-…, sweep names). Others are looked up exactly. */
const PREFIX_ALPHABET = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class AmbiguousIdError extends InputError {
  readonly matches: string[];
  constructor(entity: IdEntity, field: string, prefix: string, matches: string[], more: boolean) {
    const listed = matches.join(', ') + (more ? ', …' : '');
    const count = more ? `more than ${matches.length}` : String(matches.length);
    super(
      'store',
      field,
      `${JSON.stringify(prefix)} is the prefix of ${count} ${entity} ids (${listed})`,
      `a longer prefix that names one ${entity}`,
    );
    this.name = 'AmbiguousIdError';
    this.matches = matches;
  }
}

/**
 * The full id of the one entity whose id is `given` or starts with it. `field` names the flag or
 * API field in errors (e.g. `<id>`, `--sweep`, `sweepId`).
 */
export async function resolveId(store: Store, entity: IdEntity, given: string, field = 'id'): Promise<string> {
  if (given.length === 0 || given.length > 200) return given; // the store's own check words the error
  if (!PREFIX_ALPHABET.test(given)) {
    // Not a prefix we resolve; still found when it is an exact id.
    const [first] = await store.idsWithPrefix(entity, given, 1);
    if (first === given) return given;
    throw new NotFoundError(entity, given);
  }
  // In id order the exact id, when it exists, comes first: it is the shortest id with this prefix.
  const found = await store.idsWithPrefix(entity, given, given.length < MIN_PREFIX ? 1 : MAX_LISTED + 1);
  if (found[0] === given) return given;
  if (given.length < MIN_PREFIX || found.length === 0) throw new NotFoundError(entity, given);
  if (found.length === 1) return found[0];
  throw new AmbiguousIdError(entity, field, given, found.slice(0, MAX_LISTED), found.length > MAX_LISTED);
}

/** resolveId for an optional value (filters): undefined stays undefined. */
export async function resolveOptionalId(
  store: Store,
  entity: IdEntity,
  given: string | undefined,
  field: string,
): Promise<string | undefined> {
  return given === undefined ? undefined : resolveId(store, entity, given, field);
}
