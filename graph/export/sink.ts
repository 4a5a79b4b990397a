/**
 * Exporters write chunks instead of returning one string: the paper network's GraphML is
 * ~150 MB, near V8's string limit. writeFileAtomic (lib/fs/atomic-write.ts) puts them in a
 * file all-or-nothing; collectString keeps them in memory.
 */
import type { Sink } from '../../lib/index.js';

export { writeFileAtomic, type Sink } from '../../lib/index.js';

/** Collects a producer's output in memory (tests, small graphs, HTTP responses). */
export function collectString(produce: (write: Sink) => void): string {
  const parts: string[] = [];
  const decoder = new TextDecoder();
  produce((chunk) => parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk)));
  return parts.join('');
}
