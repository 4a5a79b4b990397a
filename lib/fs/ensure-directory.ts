/**
 * Creating a directory the user named (--checkpoint-dir, --db's folder, an export's folder) with
 * an error at once when it cannot exist. Why not mkdirSync(path, { recursive: true }): on Linux
 * under /proc it loops forever at 100 % CPU (ENOENT from a kernel directory makes Node retry),
 * and its errors name neither the flag nor the reason. So: refuse the kernel's virtual file
 * systems, find the nearest existing ancestor, check that it is a directory, and create the
 * missing components one by one.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';

/** Kernel file systems where nothing of ours can be written, only harm done or time lost. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** An InputError for a path under /proc, /sys or /dev (Linux): nothing of ours belongs there. */
export function refuseKernelFileSystem(path: string, field: string): void {
  const target = resolve(path);
  const root = process.platform === 'linux' ? VIRTUAL_ROOTS.find((r) => isUnder(target, r)) : undefined;
  if (root)
    throw new InputError(
      'fs',
      field,
      `${target}: under ${root}, a kernel file system`,
      'a path in a directory this process can create and write',
    );
}

/**
 * Makes sure `path` is a directory, creating it and its missing parents. `field` names the flag or
 * setting that gave the path, for the error (an InputError: exit 2 in the CLI, 400 in the API).
 */
export function ensureDirectory(path: string, field: string): string {
  const target = resolve(path);
  const bad = (problem: string) =>
    new InputError('fs', field, `${target}: ${problem}`, 'a directory this process can create and write');
  refuseKernelFileSystem(target, field);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'directory') break;
    if (kind === 'other')
      throw bad(existing === target ? 'exists and is not a directory' : `${existing} is a file, not a directory`);
    missing.unshift(existing);
    const up = dirname(existing);
    if (up === existing) throw bad('no existing ancestor directory');
    existing = up;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && kindOf(dir) === 'directory') continue; // another process made it first
      throw bad(`cannot create ${dir} (${code ?? (e as Error).message})`);
    }
  }
  return target;
}

function kindOf(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a component above is a file; the walk up reaches it and reports it by name.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return 'other';
  }
}
