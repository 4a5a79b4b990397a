/**
 * Where this package's own files are, found from this module's location so that it works
 * compiled (dist/src/*.js) and from source under tsx (src/*.ts). The one place that walks up to
 * package.json (the package root: bin/, cypher/, web/dist/) and that picks the `.js` or `.ts`
 * file of a module started in another thread or process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The package root: the nearest folder above this module holding package.json. */
export function packageRoot(): string {
  if (root !== null) return root;
  const from = dirname(fileURLToPath(import.meta.url));
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`eqprop: no package.json above ${from}; expected to run inside the eqprop-lab package`);
    dir = up;
  }
  root = dir;
  return dir;
}

/** A path below the package root. */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

/** The CLI launcher, bin/eqprop.js: what training jobs run in their child processes. */
export function eqpropBin(): string {
  return packagePath('bin', 'eqprop.js');
}

/** The version in package.json ('unknown' when it cannot be read). */
export function packageVersion(): string {
  try {
    const json = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A module relative to the calling module (`from`: its import.meta.url), with the caller's own
 * extension: `.js` when compiled, `.ts` from source under tsx. For worker threads and child
 * processes, which are given a file, not an import specifier: `moduleFile(import.meta.url,
 * './workers/build-topology')`.
 */
export function moduleFile(from: string, relative: string): URL {
  const extension = /\.ts$/.test(fileURLToPath(from)) ? 'ts' : 'js';
  return new URL(`${relative}.${extension}`, from);
}
