/**
 * Runs one of server/workers/*.ts in a worker thread and resolves with its single reply. Every
 * live worker is tracked so that shutdown (SIGTERM) can end them at once instead of waiting for a
 * long build, and a run may carry a timeout after which its worker is terminated.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { moduleFile } from '../lib/index.js';

// Compiled: workers/<name>.js beside this file; from source under tsx: the .ts file.
const workerUrl = (name: string): URL => moduleFile(import.meta.url, `./workers/${name}`);

/** A worker that was terminated because it ran past its time limit. */
export class WorkerTimeoutError extends Error {
  constructor(
    readonly worker: string,
    readonly timeoutMs: number,
  ) {
    super(`eqprop/server: worker ${worker} did not finish within ${timeoutMs} ms and was terminated`);
    this.name = 'WorkerTimeoutError';
  }
}

const live = new Set<Worker>();
let started = 0;

/**
 * 'start' when a worker thread starts, 'exit' when one has exited (liveWorkers() already counts
 * it out): what a caller waits on instead of polling liveWorkers().
 */
export const workerLifecycle = new EventEmitter();

/** Worker threads started since the process began (tests check that a 404 started none). */
export function workersStarted(): number {
  return started;
}

export function liveWorkers(): number {
  return live.size;
}

/** Ends every running worker thread (their pending runs reject); used on shutdown. */
export async function terminateAllWorkers(): Promise<void> {
  await Promise.all([...live].map((w) => w.terminate()));
}

export function runWorker<Reply>(name: string, data: unknown, options: { timeoutMs?: number } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(name), { workerData: data });
    started++;
    live.add(worker);
    workerLifecycle.emit('start');
    let settled = false;
    const timer =
      options.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            if (settled) return;
            settled = true;
            reject(new WorkerTimeoutError(name, options.timeoutMs!));
            void worker.terminate();
          }, options.timeoutMs);
    const settle = () => {
      settled = true;
      if (timer) clearTimeout(timer);
    };
    worker.once('message', (reply: Reply) => {
      if (!settled) {
        settle();
        resolve(reply);
      }
    });
    worker.once('error', (e) => {
      if (!settled) {
        settle();
        reject(e);
      }
    });
    worker.once('exit', (code) => {
      live.delete(worker);
      if (!settled) {
        settle();
        reject(new Error(`eqprop/server: worker ${name} exited with code ${code} without replying`));
      }
      workerLifecycle.emit('exit');
    });
  });
}
