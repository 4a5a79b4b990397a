/**
 * The server's event loop while a job trains: starts a server on a temporary SQLite store, starts a
 * tiny training run through POST /api/jobs/train (a child process, relayed as Server-Sent Events)
 * and, until the run ends, sends GET /api/health every 25 ms, one at a time. Prints the number of
 * round trips, their median and maximum, and the targets (median < 50 ms, maximum < 500 ms), met
 * or not. Figures only, no assertions (tests never depend on timing; test/server/jobs.test.ts
 * checks what the stream carries).
 *
 *   npm run build && node dist/bench/server-latency.js [--runs 5] [--epochs 3]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startTestServer, type TestServer } from '../test/server/helpers.js';

const TARGETS = { medianMs: 50, maxMs: 500 } as const;
const PROBE_INTERVAL_MS = 25;

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, epochs: { type: 'string', default: '3' } },
});
const runs = Number(values.runs);
const epochs = Number(values.epochs);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(epochs) || epochs < 1) {
  throw new Error(`bench/server-latency: --runs and --epochs take whole numbers ≥ 1, got ${runs} and ${epochs}`);
}

/** Reads a job's event stream until the server closes it (after the job's `end` event). */
async function drainEvents(server: TestServer, jobId: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/jobs/${jobId}/events`);
  if (res.status !== 200) throw new Error(`bench/server-latency: events of job ${jobId}: HTTP ${res.status}`);
  for await (const _ of res.body!) {
    // Only the end of the stream matters here.
  }
}

/** Round-trip times (ms) of /api/health while one tiny run trains. */
async function latenciesDuringOneRun(server: TestServer, seed: number): Promise<number[]> {
  const start = await server.api('/api/jobs/train', {
    body: {
      topology: { sizes: [784, 10, 10], mode: 'layered', seed: 0 },
      epochs,
      train: 200,
      eval: 20,
      freeSteps: 60,
      clampedSteps: 4,
      seed,
    },
  });
  if (start.status !== 202) throw new Error(`bench/server-latency: job start: ${JSON.stringify(start.body)}`);
  const latencies: number[] = [];
  let training = true;
  const probe = (async () => {
    while (training) {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${server.port}/api/health`);
      await r.json();
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  })();
  await drainEvents(server, start.body.id);
  training = false;
  await probe;
  return latencies;
}

const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log(
  `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}; ${runs} run(s) of 784-10-10, ${epochs} ` +
    `epoch(s) of 200 images each; /api/health every ${PROBE_INTERVAL_MS} ms while each trains`,
);
const server = await startTestServer();
const all: number[] = [];
try {
  for (let r = 1; r <= runs; r++) {
    const latencies = (await latenciesDuringOneRun(server, r)).sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)] ?? NaN;
    console.log(
      `run ${r}: n=${latencies.length} median=${median.toFixed(1)} ms max=${(latencies.at(-1) ?? NaN).toFixed(1)} ms`,
    );
    all.push(...latencies);
  }
} finally {
  await server.stop();
}
all.sort((a, b) => a - b);
const median = all[Math.floor(all.length / 2)] ?? NaN;
const max = all.at(-1) ?? NaN;
console.log(`all runs: n=${all.length} median=${median.toFixed(1)} ms max=${max.toFixed(1)} ms`);
console.log(`target: median < ${TARGETS.medianMs} ms: ${mark(median < TARGETS.medianMs)}`);
console.log(`target: maximum < ${TARGETS.maxMs} ms: ${mark(max < TARGETS.maxMs)}`);
console.log(`load average at the end ${loadavg()[0]!.toFixed(1)} (other processes share these cores)`);
