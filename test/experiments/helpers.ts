/** Shared helpers for the experiment and CLI tests: repository paths, temp dirs, running the CLI. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (found from this file, so it works from test/ via tsx and from dist/test/). */
export const REPO_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('test helpers: no package.json above the test file');
    dir = up;
  }
  return dir;
})();

export function repoPath(relative: string): string {
  return resolve(REPO_ROOT, relative);
}

export function tempDir(prefix = 'eqprop-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
