/** Runs workers/build-topology in a worker thread and turns its reply back into a result or error. */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http-errors.js';
import type { BuildReply, BuildRequest } from './workers/build-topology.js';

// Compiled: workers/build-topology.js beside this file; from source under tsx: the .ts file.
function workerUrl(): URL {
  const js = new URL('./workers/build-topology.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./workers/build-topology.ts', import.meta.url);
}

export function buildInWorker(request: BuildRequest): Promise<Extract<BuildReply, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(), { workerData: request });
    let settled = false;
    worker.once('message', (reply: BuildReply) => {
      settled = true;
      if (reply.ok) resolve(reply);
      else reject(new HttpError(reply.input ? 400 : 500, reply.message, reply.field, reply.expected));
    });
    worker.once('error', (e) => { settled = true; reject(e); });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`eqprop/server: topology build worker exited with code ${code} without replying`));
    });
  });
}
