/**
 * Background work through the API, end to end with the real CLI, engine, MNIST and SQLite:
 * a topology built in a worker thread, a tiny training run in a child process relayed as
 * Server-Sent Events in order while the server keeps answering, and a cancelled run. How fast
 * /api/health answers during training is a figure, measured by bench/server-latency.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
});

interface SseEvent {
  event: string;
  data: any;
}

/** Reads a job's SSE stream to its end (the server closes it after the `end` event). */
async function collectEvents(jobId: string, onEvent: (e: SseEvent) => void = () => {}): Promise<SseEvent[]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/jobs/${jobId}/events`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const events: SseEvent[] = [];
  let buffer = '';
  for await (const chunk of res.body!.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (name && data) {
        const e = { event: name, data: JSON.parse(data) };
        events.push(e);
        onEvent(e);
      }
    }
  }
  return events;
}

test('POST /api/topologies builds in a worker, computes metrics and saves', async () => {
  const r = await server.api('/api/topologies', {
    body: { sizes: [6, 4, 3], mode: 'replace', n: 5, seed: 3, name: 'tiny' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // Replace keeps the count: adjacent 6·4 + 4·3 = 36 plus the hidden layer's 4·3/2 = 6 intralayer pairs.
  assert.equal(r.body.counts.total, 42);
  assert.equal(r.body.N, 13);
  assert.ok(Object.keys(r.body.metrics).length > 0, 'metrics were computed');
  const graph = await server.api(`/api/topologies/${r.body.id}/graph`);
  assert.equal(
    graph.body.blocks.reduce((s: number, b: { count: number }) => s + b.count, 0),
    42,
  );
  assert.equal(graph.body.skip.src.length, r.body.counts.skip);
  const del = await server.api(`/api/topologies/${r.body.id}`, { method: 'DELETE' });
  assert.equal(del.status, 204);
  assert.equal((await server.api(`/api/topologies/${r.body.id}`)).status, 404);
});

test('a tiny run streams its events over SSE in order, lands in the store; the server answers meanwhile', async () => {
  const start = await server.api('/api/jobs/train', {
    body: {
      topology: { sizes: [784, 10, 10], mode: 'layered', seed: 0 },
      epochs: 3,
      train: 200,
      eval: 20,
      freeSteps: 60,
      clampedSteps: 4,
      seed: 1,
    },
  });
  assert.equal(start.status, 202, JSON.stringify(start.body));
  const jobId = start.body.id;

  // Asked while the child trains (at its first batch event): the server answers.
  let health: Promise<{ status: number; body: any }> | undefined;
  const events = await collectEvents(jobId, (e) => {
    if (e.event === 'batch') health ??= server.api('/api/health');
  });
  assert.ok(health, 'a batch event arrived');
  assert.equal((await health).status, 200);

  // In arrival order, and the child's own events (stderr lines, relayed as `log`, interleave with
  // them at no fixed place) in the order it trains: the run, then per epoch its batches (the first
  // batch of the run and the last of each epoch are always sent) and the epoch, then done; the
  // stream's end comes last.
  const names = events.map((e) => e.event);
  assert.equal(names.at(-1), 'end');
  assert.equal(events.at(-1)!.data.status, 'done', JSON.stringify(events.at(-1)!.data));
  const seqs = events.map((e) => e.data.seq as number);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'events arrive in sequence order',
  );
  const trained = events.filter((e) => e.event !== 'log' && e.event !== 'end');
  assert.equal(trained[0]!.event, 'run');
  assert.equal(trained.at(-1)!.event, 'done');
  let at = [0, 0];
  for (const [k, e] of trained.entries()) {
    if (e.event === 'batch') {
      const next = [e.data.epoch, e.data.batch];
      assert.ok(next[0] > at[0] || (next[0] === at[0] && next[1] > at[1]), `batch ${next} after batch ${at}`);
      at = next;
    } else if (e.event === 'epoch') {
      const before = trained[k - 1]!;
      assert.equal(before.event, 'batch', `epoch ${e.data.epoch} follows its last batch`);
      assert.deepEqual([before.data.epoch, before.data.batch], [e.data.epoch, before.data.batches]);
    }
  }
  assert.deepEqual([trained[1]!.event, trained[1]!.data.epoch, trained[1]!.data.batch], ['batch', 1, 1]);
  const epochEvents = events.filter((e) => e.event === 'epoch').map((e) => e.data);
  assert.deepEqual(
    epochEvents.map((e) => e.epoch),
    [1, 2, 3],
  );

  // What the SSE relayed from the child equals what the child stored.
  const runId = trained[0]!.data.runId as string;
  const stored = await server.api(`/api/runs/${runId}/epochs`);
  assert.deepEqual(
    stored.body.map((e: { epoch: number; trainError: number; evalError: number }) => [
      e.epoch,
      e.trainError,
      e.evalError,
    ]),
    epochEvents.map((e) => [e.epoch, e.trainError, e.evalError]),
  );
  assert.equal((await server.api(`/api/runs/${runId}`)).body.status, 'done');
  const rates = await server.api(`/api/runs/${runId}/rates`);
  assert.ok(rates.body.points.length > 0);
  const job = await server.api(`/api/jobs/${jobId}`);
  assert.deepEqual(job.body.runIds, [runId]);

  // A late subscriber gets the whole history replayed and the stream closes.
  const replay = await collectEvents(jobId);
  assert.deepEqual(
    replay.map((e) => e.event),
    names,
  );
});

test('cancel sends SIGTERM: the run is checkpointed and marked cancelled', async () => {
  const start = await server.api('/api/jobs/train', {
    // 200 batches an epoch (seconds), cancelled at the first batch event: the run stops inside epoch 1.
    body: {
      topology: { sizes: [784, 10, 10], mode: 'layered', seed: 0 },
      epochs: 200,
      train: 4000,
      eval: 20,
      freeSteps: 100,
      clampedSteps: 4,
    },
  });
  assert.equal(start.status, 202);
  const jobId = start.body.id;
  let cancelled = false;
  const events = await collectEvents(jobId, (e) => {
    if (e.event === 'batch' && !cancelled) {
      cancelled = true;
      void server.api(`/api/jobs/${jobId}/cancel`, { method: 'POST' });
    }
  });
  assert.ok(cancelled, 'saw a batch event to cancel on');
  assert.equal(events.at(-1)!.data.status, 'cancelled');
  assert.ok(
    events.some((e) => e.event === 'cancelled'),
    'the CLI reported the cancellation',
  );
  const runId = events[0]!.data.runId as string;
  const run = await server.api(`/api/runs/${runId}`);
  assert.equal(run.body.status, 'cancelled');
  // A bound that a cancel which never arrives fails (an epoch count below 200 would not): the
  // cancel reached the run during epoch 1, so at most that epoch is stored, and exactly the epochs
  // it reported.
  const stored = (await server.api(`/api/runs/${runId}/epochs`)).body as unknown[];
  const reported = events.filter((e) => e.event === 'epoch').length;
  assert.equal(stored.length, reported, 'the stored epochs are the reported ones');
  assert.ok(stored.length <= 1, `the run stopped in epoch 1 or at its end, not after ${stored.length} epochs`);
  assert.equal((await server.api(`/api/jobs/${jobId}`)).body.status, 'cancelled');
});

test('a sweep runs as a job; its runs and the Fig. 5 data come back through the API', async () => {
  const start = await server.api('/api/jobs/sweep', {
    body: {
      name: 'api-sweep',
      sizes: [784, 10, 10],
      mode: 'replace',
      p: [0, 0.02],
      seeds: [1],
      epochs: 1,
      train: 40,
      eval: 20,
      freeSteps: 20,
      clampedSteps: 4,
      workers: 1,
    },
  });
  assert.equal(start.status, 202, JSON.stringify(start.body));
  const events = await collectEvents(start.body.id);
  const end = events.at(-1)!.data;
  assert.equal(end.status, 'done', JSON.stringify(events.slice(-5)));
  const job = await server.api(`/api/jobs/${start.body.id}`);
  assert.equal(job.body.sweepId, 'api-sweep');
  const sweep = await server.api('/api/sweeps/api-sweep');
  assert.equal(sweep.status, 200);
  assert.equal(sweep.body.runs.length, 2);
  const rows = await server.api('/api/correlations?sweepId=api-sweep&epoch=1');
  // p = 0.02 is realised through an integer number of rewirings n, so the stored p is within 1e-3 of it.
  const ps = rows.body.map((r: { spec: { p: number } }) => r.spec.p).sort((a: number, b: number) => a - b);
  assert.equal(ps.length, 2);
  assert.equal(ps[0], 0);
  assert.ok(Math.abs(ps[1] - 0.02) < 1e-3, `stored p ${ps[1]}`);
  assert.ok(
    rows.body.every(
      (r: { trainErrorAt: number | null }) => r.trainErrorAt !== null && r.trainErrorAt >= 0 && r.trainErrorAt <= 1,
    ),
  );
});

test('at most two jobs run at once: a third start is 429 JSON until one ends', async () => {
  const body = {
    topology: { sizes: [784, 10, 10], mode: 'layered', seed: 0 },
    epochs: 500,
    train: 400,
    eval: 20,
    freeSteps: 100,
    clampedSteps: 4,
  };
  const a = await server.api('/api/jobs/train', { body });
  const b = await server.api('/api/jobs/train', { body });
  assert.deepEqual([a.status, b.status], [202, 202]);
  const c = await server.api('/api/jobs/train', { body });
  assert.equal(c.status, 429);
  assert.equal(c.body.field, 'jobs');
  const ends = [collectEvents(a.body.id), collectEvents(b.body.id)];
  await server.api(`/api/jobs/${a.body.id}/cancel`, { method: 'POST' });
  await server.api(`/api/jobs/${b.body.id}/cancel`, { method: 'POST' });
  const [ea, eb] = await Promise.all(ends);
  assert.deepEqual([ea.at(-1)!.data.status, eb.at(-1)!.data.status], ['cancelled', 'cancelled']);
  const jobs = await server.api('/api/jobs');
  assert.equal(jobs.body.filter((j: { status: string }) => j.status === 'running').length, 0);
});
