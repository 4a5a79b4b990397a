/**
 * Writing a file all-or-nothing: chunks go to a temporary file beside the target, which is
 * renamed over it only when everything was written (a failed export leaves nothing behind).
 * Exporters write chunks instead of returning one string: the paper network's GraphML is
 * ~150 MB, near V8's string limit.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type Sink = (chunk: string | Uint8Array) => void;

export function writeFileAtomic(path: string, produce: (write: Sink) => void): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  let buffered: string[] = [];
  let size = 0;
  const flush = () => { if (buffered.length) { writeSync(fd, buffered.join('')); buffered = []; size = 0; } };
  try {
    produce((chunk) => {
      if (typeof chunk === 'string') {
        buffered.push(chunk);
        size += chunk.length;
        if (size > 1 << 20) flush();
      } else {
        flush();
        writeSync(fd, chunk);
      }
    });
    flush();
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Collects a producer's output in memory (tests, small graphs, HTTP responses). */
export function collectString(produce: (write: Sink) => void): string {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  produce((chunk) => parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk)));
  return parts.join('');
}
