/** Runs workers/build-topology in a worker thread and turns its reply back into a result or error. */
import { HttpError } from './http-errors.js';
import { runWorker, WorkerTimeoutError } from './run-worker.js';
import type { BuildReply, BuildRequest } from './workers/build-topology.js';

export async function buildInWorker(
  request: BuildRequest,
  timeoutMs?: number,
): Promise<Extract<BuildReply, { ok: true }>> {
  let reply: BuildReply;
  try {
    reply = await runWorker<BuildReply>('build-topology', request, { timeoutMs });
  } catch (e) {
    if (e instanceof WorkerTimeoutError) {
      // The worker is gone mid-build; its store transaction never committed, so nothing is saved.
      throw new HttpError(
        422,
        `eqprop/server: the build did not finish within ${e.timeoutMs / 1000} s and was stopped; ` +
          'expected a smaller topology or fewer smallWorldSamples',
        'body',
        `a build that finishes within ${e.timeoutMs / 1000} s (EQPROP_BUILD_TIMEOUT_MS)`,
      );
    }
    throw e;
  }
  if (!reply.ok) throw new HttpError(reply.input ? 400 : 500, reply.message, reply.field, reply.expected);
  return reply;
}
