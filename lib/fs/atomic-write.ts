/**
 * Writing a file all-or-nothing, for checkpoints (engine/checkpoint.ts) and exports
 * (graph/export): chunks go to `<target>.tmp-<pid>-<n>` in the same directory, which is fsynced,
 * renamed over the target, and the directory fsynced so the rename itself survives a power cut.
 * A crash leaves the old file or the new one, never half of one; at worst a temporary file of a
 * dead process remains, which removeStaleTempFiles() deletes (train --resume calls it).
 *
 * Writers pass chunks instead of one string: the paper network's GraphML is ~150 MB, near V8's
 * string limit, and a paper checkpoint is ≈ 370 MB of typed arrays.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type Sink = (chunk: string | Uint8Array) => void;

const TEMP_MARK = '.tmp-';
let sequence = 0;

/** The temporary name for a write of `path` by this process. */
function tempPathFor(path: string): string {
  return `${path}${TEMP_MARK}${process.pid}-${sequence++}`;
}

/** Writes the bytes in pieces below 64 MiB (one writeSync call is capped near 2 GiB). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(1 << 26, bytes.length - at));
}

export function writeFileAtomic(path: string, produce: (write: Sink) => void): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'w');
  let buffered: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffered.length === 0) return;
    writeAll(fd, Buffer.from(buffered.join(''), 'utf8'));
    buffered = [];
    size = 0;
  };
  try {
    produce((chunk) => {
      if (typeof chunk === 'string') {
        buffered.push(chunk);
        size += chunk.length;
        if (size > 1 << 20) flush();
      } else {
        flush();
        writeAll(fd, chunk);
      }
    });
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(temp, { force: true });
    throw e;
  }
  fsyncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable. Some file systems refuse fsync on a directory: nothing to do there. */
function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on file systems without directory fsync; the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Deletes the temporary files of `path` (or of every file in the directory when `path` is a
 * directory and `prefix` is omitted) left by processes that no longer run. A live process's
 * temporary file is kept: it may be writing it right now. Returns the removed paths.
 */
export function removeStaleTempFiles(dir: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const at = name.lastIndexOf(TEMP_MARK);
    if (at < 0 || !name.startsWith(prefix)) continue;
    // `<pid>-<n>`, or `<pid>` alone as checkpoints were named before this module existed.
    const match = /^(\d+)(?:-\d+)?$/.exec(name.slice(at + TEMP_MARK.length));
    const pid = match ? Number(match[1]) : 0;
    if (pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(join(dir, name));
  }
  return removed;
}

/** The temporary files of writes of `path` by dead processes, removed (see removeStaleTempFiles). */
export function removeStaleTempFilesOf(path: string): string[] {
  return removeStaleTempFiles(dirname(path), `${basename(path)}${TEMP_MARK}`);
}
