/** The outcome names a predictor ranking takes, parsed the same for the CLI and the API. */
import { InputError } from '../../../lib/index.js';
import { OUTCOMES } from '../../stats/index.js';

export function parseOutcomes(raw: string | undefined, field: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(OUTCOMES as readonly string[]).includes(name)) {
      throw new InputError(
        'experiments',
        field,
        `unknown outcome ${JSON.stringify(name)}`,
        `comma-separated names among ${OUTCOMES.join(', ')}`,
      );
    }
  }
  return names;
}
