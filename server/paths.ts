/**
 * Where the server finds the files it serves and the CLI it spawns. Resolved from this module's
 * own location so it works compiled (dist/server/*.js) and from source (server/*.ts via tsx):
 * walk up to the first directory holding package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`eqprop/server: no package.json above ${from}; expected to run inside the eqprop-lab checkout`);
    dir = parent;
  }
}

/** The built web app (vite build web → web/dist). */
export const webDistDir = (): string => join(repoRoot(), 'web', 'dist');
/** The CLI launcher that training and sweep jobs run in child processes. */
export const cliPath = (): string => join(repoRoot(), 'bin', 'eqprop.js');
