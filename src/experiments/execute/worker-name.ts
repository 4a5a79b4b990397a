import { hostname } from 'node:os';

/** Who holds a run while it is trained (RunRecord.worker): this host and process. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}
