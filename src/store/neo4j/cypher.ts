/**
 * Every Neo4j query lives in a `.cypher` file under cypher/ at the package root, loaded here by
 * name. Queries are parameterised only: nothing is ever spliced into query text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EqpropError } from '../../../lib/index.js';
import { packagePath } from '../../../lib/index.js';

/** cypher/ at the package root (lib/package-files.ts finds it from src/ under tsx and from dist/). */
function findCypherDir(): string {
  const dir = packagePath('cypher');
  if (!existsSync(dir))
    throw new EqpropError('store', `no cypher/ folder at ${dir}; expected the eqprop-lab package layout`);
  return dir;
}

export const CYPHER_DIR = findCypherDir();

const cache = new Map<string, string>();

/** The text of cypher/<name>.cypher. */
export function cypher(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  if (!/^[a-z0-9-]+$/.test(name)) {
    throw new EqpropError(
      'store',
      `query name ${JSON.stringify(name)} is not a file name; expected lower-case letters, digits and dashes`,
    );
  }
  const path = join(CYPHER_DIR, `${name}.cypher`);
  if (!existsSync(path)) throw new EqpropError('store', `no query ${name} (${path}); expected a file in ${CYPHER_DIR}`);
  const text = readFileSync(path, 'utf8');
  cache.set(name, text);
  return text;
}

/** The statements of a multi-statement file (schema.cypher): `;`-terminated, comment lines dropped. */
export function cypherStatements(name: string): string[] {
  return cypher(name)
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
