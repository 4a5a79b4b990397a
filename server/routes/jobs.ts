/** Background training runs and sweeps: start, list, watch (Server-Sent Events), cancel. */
import type { z } from 'zod';
import { defineRoute, idParams, type Route } from '../route.js';
import { sweepJobBody, trainJobBody, type SweepJobBody, type TrainJobBody } from '../schemas.js';
import { openSse } from '../sse.js';
import { resolveId } from '../../src/store/index.js';
import { sweepJob, sweepJobArgs, trainJobArgs, trainJobRequest } from '../jobs/job-requests.js';

type Id = z.infer<typeof idParams>;

export const jobRoutes: Route[] = [
  defineRoute<Record<string, never>, Record<string, never>, TrainJobBody>({
    method: 'post',
    path: '/api/jobs/train',
    tag: 'jobs',
    summary: 'Start a training run in a child process (eqprop train --request <run request> --json)',
    body: trainJobBody,
    responds: { status: 202, description: 'The job (poll it or watch /api/jobs/{id}/events)' },
    handle: async ({ body }, ctx) => {
      // A short id becomes the full one; an unknown id is a 404 now, not an error in the child.
      if (body.topologyId !== undefined) {
        body.topologyId = await resolveId(ctx.store, 'topology', body.topologyId, 'topologyId');
      }
      // The body is the run's settings: the domain fills in the defaults and checks the whole run
      // configuration (a body it would refuse is a 400 naming the body's field now, before any
      // process starts or anything is written), and the child gets that configuration as it is.
      const request = await trainJobRequest(body, { store: ctx.store, backend: ctx.config.backend });
      return ctx.jobs.start('train', trainJobArgs(request));
    },
  }),
  defineRoute<Record<string, never>, Record<string, never>, SweepJobBody>({
    method: 'post',
    path: '/api/jobs/sweep',
    tag: 'jobs',
    summary: 'Start a sweep over p or n in a child process (eqprop sweep --request <sweep settings> --json)',
    body: sweepJobBody,
    responds: { status: 202, description: 'The job' },
    handle: ({ body }, ctx) => {
      // The body is the sweep's settings; planning checks every job's topology (p or n within the
      // free pairs) as the child will, so a sweep it would refuse is a 400 now.
      const { settings, workers } = sweepJob(body, ctx.config.backend);
      return ctx.jobs.start('sweep', sweepJobArgs(settings, workers), workers);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/jobs',
    tag: 'jobs',
    summary: 'Jobs started by this server, newest first',
    responds: { status: 200, description: 'Job summaries' },
    handle: (_in, ctx) => ctx.jobs.list(),
  }),
  defineRoute<Id>({
    method: 'get',
    path: '/api/jobs/:id',
    tag: 'jobs',
    summary: 'One job: status, runs, latest progress',
    params: idParams,
    responds: { status: 200, description: 'The job summary' },
    handle: ({ params }, ctx) => ctx.jobs.get(params.id),
  }),
  defineRoute<Id>({
    method: 'get',
    path: '/api/jobs/:id/events',
    tag: 'jobs',
    summary: 'Live progress as Server-Sent Events (past events replayed first; ends with an `end` event)',
    params: idParams,
    responds: { status: 200, description: "text/event-stream of the child's JSON events", stream: 'text/event-stream' },
    handle: ({ params }, ctx, _req, res) => {
      ctx.jobs.get(params.id); // 404 before opening the stream
      const sse = openSse(res);
      let ended = false;
      const send = (e: { seq: number; event: string }) => {
        if (ended) return;
        sse.send(e.event, e, e.seq);
        if (e.event === 'end') {
          ended = true;
          sse.close();
        }
      };
      const { replay, live, unsubscribe } = ctx.jobs.subscribe(params.id, send);
      sse.onClose(unsubscribe);
      for (const e of replay) send(e);
      if (!live && !ended) sse.close();
      return undefined;
    },
  }),
  defineRoute<Id>({
    method: 'post',
    path: '/api/jobs/:id/cancel',
    tag: 'jobs',
    summary: 'Cancel a job (SIGTERM: the CLI checkpoints and marks the run cancelled)',
    params: idParams,
    responds: { status: 202, description: 'The job summary (status changes to cancelled when the child exits)' },
    handle: ({ params }, ctx) => ctx.jobs.cancel(params.id),
  }),
];
