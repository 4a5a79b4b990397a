/** Runs one of server/workers/*.ts in a worker thread and resolves with its single reply. */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Compiled: workers/<name>.js beside this file; from source under tsx: the .ts file.
function workerUrl(name: string): URL {
  const js = new URL(`./workers/${name}.js`, import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL(`./workers/${name}.ts`, import.meta.url);
}

export function runWorker<Reply>(name: string, data: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(name), { workerData: data });
    let settled = false;
    worker.once('message', (reply: Reply) => { settled = true; resolve(reply); });
    worker.once('error', (e) => { settled = true; reject(e); });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`eqprop/server: worker ${name} exited with code ${code} without replying`));
    });
  });
}
