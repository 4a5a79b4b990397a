/** Runs workers/build-topology in a worker thread and turns its reply back into a result or error. */
import { HttpError } from './http-errors.js';
import { runWorker } from './run-worker.js';
import type { BuildReply, BuildRequest } from './workers/build-topology.js';

export async function buildInWorker(request: BuildRequest): Promise<Extract<BuildReply, { ok: true }>> {
  const reply = await runWorker<BuildReply>('build-topology', request);
  if (!reply.ok) throw new HttpError(reply.input ? 400 : 500, reply.message, reply.field, reply.expected);
  return reply;
}
